import { Hono } from 'hono';
import { StuckPaymentQuery } from '../api/finance/schemas.js';
import { mayPerform } from '../domain/authorization.js';
import { businessDate } from '../domain/calendar.js';
import { DOCUMENT_NUMBER } from '../domain/numbering.js';
import { mayDecideWriteOff } from '../domain/order/write-off.js';
import { AGING_BUCKETS } from '../domain/receivables.js';
import { PAYMENT_STEPS, stuckPayments, waitingAt } from '../db/stuck-payments.js';
import type { Sql } from '../db/client.js';
import { customerCredit } from '../db/credit-notes.js';
import { payerOpenInvoices, undecidedWriteOffs } from '../db/finance-lists.js';
import { aging, statement } from '../db/receivables.js';
import { writeOffAuthorityOf } from '../db/write-off-requests.js';
import type { ApiCall } from './api-call.js';
import { ApiForm, field, queryOf, sendAndFlash } from './finance-forms.js';
import { takeFlash, type Flash } from './flash.js';
import { money, when } from './format.js';
import { label, say, type Lang } from './i18n.js';
import { ExportLink } from './export.js';
import { Layout, RowsTable } from './layout.js';
import type { FormFields } from './order-actions.js';
import type { ConsoleEnv, ConsoleSession } from './session.js';

export interface FinancePageDeps {
  sql: Sql;
  api: ApiCall;
  timeZone: string;
}

const METHODS = ['bank_transfer', 'cash', 'card', 'cheque', 'other'] as const;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const CODE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$/;

/** The page refused to a role; a form's refusal that led here still shows above it. */
function Forbidden(props: { session: ConsoleSession; title: string; flash?: Flash | undefined }) {
  const { session } = props;
  return (
    <Layout title={props.title} session={session} flash={props.flash}>
      <p class="flash error" role="alert">
        <strong>FORBIDDEN</strong>: {say(session.lang, { zh: `${session.user.role} 角色不能使用此页面`, en: `the ${session.user.role} role may not use this page` })}
      </p>
    </Layout>
  );
}

const t = (lang: Lang, zh: string, en: string) => say(lang, { zh, en });

function MethodSelect(props: { lang: Lang }) {
  return (
    <select name="method" aria-label={label(props.lang, 'method')}>
      {METHODS.map((m) => <option value={m}>{label(props.lang, m)}</option>)}
    </select>
  );
}

/** The receipt's allocations: one `alloc_<invoice>` field per open invoice; a blank one is left out. */
function receiptBody(f: FormFields) {
  const allocations = Object.keys(f)
    .filter((k) => k.startsWith('alloc_') && field(f, k) !== '')
    .map((k) => ({ invoiceNumber: k.slice('alloc_'.length), amount: field(f, k) }));
  const optional = (k: string) => (field(f, k) ? { [k]: field(f, k) } : {});
  return { payerCode: field(f, 'payerCode'), amount: field(f, 'amount'), method: field(f, 'method'), ...optional('receivedOn'), ...optional('reference'), ...(allocations.length ? { allocations } : {}) };
}

/**
 * 财务: stuck payments with the API's filters, aging per payer that drills to its statement (对账单), payer
 * receipts with allocation to invoices (收款核销), refunds (退款) and the write-offs waiting for a second
 * finance approver (坏账核销审批). Reads use the API's own queries; every form posts through the API's route.
 */
export function financePages(deps: FinancePageDeps) {
  const app = new Hono<ConsoleEnv>();
  const today = () => businessDate(new Date(), deps.timeZone);

  app.get('/finance', async (c) => {
    const session = c.get('session');
    const lang = session.lang;
    const title = t(lang, '财务：催款与账龄', 'Finance: stuck payments and aging');
    if (!mayPerform(session.user.role, 'listStuckPayments')) return c.html(<Forbidden session={session} title={title} />, 403);
    const q = queryOf(c);
    // The API's own query schema: the same filters, defaults and refusals as GET /finance/stuck-payments.
    const parsed = StuckPaymentQuery.safeParse(Object.fromEntries(Object.entries(q).filter(([, v]) => v !== '' && v !== undefined)));
    const refusal = parsed.success ? undefined : parsed.error.issues[0];
    const f = parsed.success ? parsed.data : StuckPaymentQuery.parse({});
    const asOf = f.asOf ?? today();
    const [stuck, buckets] = await Promise.all([
      stuckPayments(deps.sql, { asOf, customerCode: f.customerCode, step: f.step, minDaysOverdue: f.minDaysOverdue, sort: f.sort, limit: f.limit, offset: f.offset }),
      aging(deps.sql, asOf),
    ]);
    const flash = refusal
      ? { kind: 'error' as const, code: 'VALIDATION_FAILED', text: refusal.message, field: refusal.path.join('.') }
      : takeFlash(c);
    const from = `${asOf.slice(0, 4)}-01-01`;
    const next = stuck.total > f.offset + f.limit ? `?${new URLSearchParams({ ...Object.fromEntries(Object.entries(q).filter(([, v]) => v)), offset: String(f.offset + f.limit) } as Record<string, string>)}` : undefined;
    return c.html(
      <Layout title={title} session={session} flash={flash}>
        <p>
          <a href="/console/finance/receipts">{t(lang, '收款与退款', 'Receipts and refunds')}</a> ·{' '}
          <a href="/console/finance/write-offs">{t(lang, '坏账核销审批', 'Write-offs to decide')}</a> ·{' '}
          <a href="/console/finance/statement">{t(lang, '对账单', 'Statement')}</a>
        </p>
        <h2>{t(lang, '收款卡住的订单', 'Stuck payments')}</h2>
        <form method="get" class="filters">
          <label>{label(lang, 'customerCode')} <input name="customerCode" value={q.customerCode ?? ''} /></label>
          <label>{label(lang, 'step')}{' '}
            <select name="step">
              <option value="">{t(lang, '全部', 'any')}</option>
              {PAYMENT_STEPS.map((s) => <option value={s} selected={s === q.step}>{label(lang, s)}</option>)}
            </select>
          </label>
          <label>{label(lang, 'minDaysOverdue')} <input name="minDaysOverdue" class="qty" inputmode="numeric" value={q.minDaysOverdue ?? ''} /></label>
          <label>{label(lang, 'asOf')} <input name="asOf" type="date" value={asOf} /></label>
          <button type="submit">{t(lang, '筛选', 'Filter')}</button>
        </form>
        <p class="muted">
          {t(lang, `截至 ${asOf}：${stuck.total} 张订单，应收未收 ${money(stuck.totals?.amountDue ?? '0')}`, `As of ${asOf}: ${stuck.total} orders, ${money(stuck.totals?.amountDue ?? '0')} due`)}{' '}
          · <ExportLink view={session} apiPath="finance/stuck-payments" query={{ asOf, customerCode: f.customerCode, step: f.step, minDaysOverdue: f.minDaysOverdue?.toString() }} />
        </p>
        <RowsTable
          view={session}
          columns={['orderNumber', 'customerCode', 'payerCode', 'amountDue', 'oldestDueOn', 'daysOverdue', 'step', 'remindersSent', 'waitingAt']}
          rows={stuck.items.map((r) => ({ ...r, waitingAt: waitingAt(r.step, r.daysOverdue, r.remindersSent, money(r.unmatchedReceipts), lang === 'en' ? 'en' : 'zh') }))}
          link={(row, col) => (col === 'orderNumber' ? `/console/orders/${row.orderNumber}` : undefined)}
        />
        {next ? <a href={next}>{t(lang, '下一页', 'Next page')}</a> : ''}
        <h2>{t(lang, '账龄分析', 'Receivables aging')}</h2>
        <p><ExportLink view={session} apiPath="finance/aging" query={{ asOf }} /></p>
        <RowsTable
          view={session}
          columns={['customerCode', 'customerName', ...AGING_BUCKETS, 'total', 'documentOpen']}
          rows={buckets.map((b) => ({ ...b, documentOpen: b.documentOpen.map((d) => `${d.currency} ${money(d.open)}`).join('; ') }))}
          link={(row, col) =>
            col === 'customerCode' ? `/console/finance/statement?${new URLSearchParams({ customerCode: String(row.customerCode), from, to: asOf })}` : undefined
          }
        />
      </Layout>,
    );
  });

  app.get('/finance/statement', async (c) => {
    const session = c.get('session');
    const lang = session.lang;
    const title = t(lang, '对账单', 'Customer statement');
    if (!mayPerform(session.user.role, 'listStuckPayments')) return c.html(<Forbidden session={session} title={title} />, 403);
    const q = queryOf(c);
    const code = q.customerCode ?? '';
    const to = q.to && DATE.test(q.to) ? q.to : today();
    const from = q.from && DATE.test(q.from) ? q.from : `${to.slice(0, 4)}-01-01`;
    const wanted = CODE.test(code);
    const st = wanted ? await statement(deps.sql, code, from, to).catch(() => undefined) : undefined;
    const range = new URLSearchParams({ from, to });
    return c.html(
      <Layout title={title} session={session}>
        <form method="get">
          <label>{label(lang, 'customerCode')} <input name="customerCode" value={code} required /></label>
          <label>{label(lang, 'from')} <input name="from" type="date" value={from} /></label>
          <label>{label(lang, 'to')} <input name="to" type="date" value={to} /></label>
          <button type="submit">{t(lang, '查询', 'Show')}</button>
        </form>
        {wanted && !st ? <p class="flash error" role="alert"><strong>UNKNOWN_CUSTOMER</strong>: {t(lang, `客户 ${code} 不存在`, `customer ${code} does not exist`)}</p> : ''}
        {st ? (
          <>
            <h2>{st.customerCode} {st.customerName} · {st.from} – {st.to}</h2>
            <p>
              <a href={`/console/documents/statement/${encodeURIComponent(st.customerCode)}?${range}`}>{t(lang, '打印对账单', 'Printable statement')}</a> ·{' '}
              <ExportLink view={session} apiPath="finance/statement" query={{ customerCode: st.customerCode, from: st.from, to: st.to }} />
            </p>
            <p>{label(lang, 'baseCurrency')}: {st.currency} · {label(lang, 'openingBalance')}: <strong class="num">{money(st.openingBalance)}</strong></p>
            <RowsTable
              view={session}
              columns={['date', 'kind', 'document', 'orderNumber', 'currency', 'documentAmount', 'fxRate', 'amount', 'balance']}
              rows={st.lines as unknown as Record<string, unknown>[]}
              link={(row, col) => (col === 'orderNumber' && row.orderNumber ? `/console/orders/${row.orderNumber}` : undefined)}
            />
            <p>
              {(['invoice', 'credit_note', 'receipt', 'write_off', 'refund', 'exchange_difference'] as const).map((k, i) => (
                <span>{i ? ' · ' : ''}{label(lang, k)} {money([st.totals.invoices, st.totals.creditNotes, st.totals.receipts, st.totals.writeOffs, st.totals.refunds, st.totals.exchangeDifferences][i]!)}</span>
              ))}
            </p>
            <p>{label(lang, 'closingBalance')}: <strong class="num" data-closing>{money(st.closingBalance)}</strong></p>
          </>
        ) : ''}
      </Layout>,
    );
  });

  app.get('/finance/receipts', async (c) => {
    const session = c.get('session');
    const lang = session.lang;
    const title = t(lang, '收款核销与退款', 'Payer receipts and refunds');
    if (!mayPerform(session.user.role, 'listStuckPayments')) return c.html(<Forbidden session={session} title={title} flash={takeFlash(c)} />, 403);
    const payer = queryOf(c).payerCode ?? '';
    const known = CODE.test(payer) && (await deps.sql`SELECT 1 FROM customers WHERE code = ${payer}`).length > 0;
    const [invoices, credit] = known ? await Promise.all([payerOpenInvoices(deps.sql, payer), customerCredit(deps.sql, payer).catch(() => undefined)]) : [[], undefined];
    const may = mayPerform(session.user.role, 'recordReceipt');
    return c.html(
      <Layout title={title} session={session} flash={takeFlash(c)}>
        <form method="get">
          <label>{label(lang, 'payerCode')} <input name="payerCode" value={payer} required /></label>
          <button type="submit">{t(lang, '查询', 'Show')}</button>
        </form>
        {payer && !known ? <p class="flash error" role="alert"><strong>UNKNOWN_CUSTOMER</strong>: {t(lang, `客户 ${payer} 不存在`, `customer ${payer} does not exist`)}</p> : ''}
        {known ? (
          <>
            <h2>{t(lang, `${payer} 的未收发票`, `Open invoices of ${payer}`)}</h2>
            {invoices.length === 0 ? <p class="muted">{t(lang, '没有未收发票；收款将全部记为预收。', 'No open invoices: a receipt becomes an advance.')}</p> : ''}
            {may ? (
              <ApiForm action="/console/finance/receipts" name="receipt" session={session} button={t(lang, '登记收款', 'Record receipt')}>
                <input type="hidden" name="payerCode" value={payer} />
                <table>
                  <thead><tr>{['invoiceNumber', 'orderNumber', 'customerCode', 'dueOn', 'gross', 'openAmount', 'allocation'].map((k) => <th data-key={k}>{label(lang, k)}</th>)}</tr></thead>
                  <tbody>
                    {invoices.map((i) => (
                      <tr data-invoice={i.invoiceNumber}>
                        <td>{i.invoiceNumber}</td>
                        <td><a href={`/console/orders/${i.orderNumber}`}>{i.orderNumber}</a></td>
                        <td>{i.customerCode} {i.customerName}</td>
                        <td>{i.dueOn}</td>
                        <td class="num">{money(i.gross)}</td>
                        <td class="num">{money(i.openAmount)}</td>
                        <td><input class="qty" name={`alloc_${i.invoiceNumber}`} inputmode="decimal" aria-label={`${label(lang, 'allocation')} ${i.invoiceNumber}`} /></td>
                      </tr>
                    ))}
                  </tbody>
                </table>
                <p class="muted">{t(lang, '不填核销金额时按到期日先后自动核销；多余的记为预收。', 'Leave the allocations blank to match oldest due first; what is left becomes an advance.')}</p>
                <label>{label(lang, 'amount')} <input name="amount" inputmode="decimal" required /></label>
                <MethodSelect lang={lang} />
                <label>{label(lang, 'receivedOn')} <input name="receivedOn" type="date" /></label>
                <label>{label(lang, 'referenceNo')} <input name="reference" maxlength={100} /></label>
              </ApiForm>
            ) : (
              <RowsTable view={session} columns={['invoiceNumber', 'orderNumber', 'customerCode', 'dueOn', 'gross', 'openAmount']} rows={invoices as unknown as Record<string, unknown>[]} />
            )}
            <h2>{t(lang, '退款', 'Refund')}</h2>
            <p>{label(lang, 'credit')}: <strong class="num">{money(credit?.credit ?? '0')}</strong></p>
            {may ? (
              <ApiForm action="/console/finance/refunds" name="refund" session={session} button={t(lang, '登记退款', 'Record refund')}>
                <input type="hidden" name="payerCode" value={payer} />
                <label>{label(lang, 'amount')} <input name="amount" inputmode="decimal" required /></label>
                <MethodSelect lang={lang} />
                <label>{label(lang, 'paidOn')} <input name="paidOn" type="date" /></label>
              </ApiForm>
            ) : ''}
          </>
        ) : ''}
      </Layout>,
    );
  });

  app.post('/finance/receipts', async (c) => {
    const form = await c.req.parseBody();
    const lang = c.get('session').lang;
    await sendAndFlash(c, deps.api, '/receipts', receiptBody(form), form, (r) => {
      const allocations = (r.allocations as { invoiceNumber: string; amount: string }[]).map((a) => `${a.invoiceNumber} ${money(a.amount)}`).join(', ');
      // A foreign-currency receipt also says its currency, rate and exchange difference (in base).
      const foreign = r.fxRate !== undefined && r.fxRate !== '1' ? { currency: String(r.currency), rate: String(r.fxRate), fx: money(String(r.exchangeDifference)) } : undefined;
      return (
        t(lang, `收款单 ${r.number} 已登记：${money(String(r.amount))}；核销 ${allocations || '无'}；预收 ${money(String(r.advance))}`,
          `Receipt ${r.number} recorded: ${money(String(r.amount))}; allocated ${allocations || 'nothing'}; advance ${money(String(r.advance))}`) +
        (foreign
          ? t(lang, `；${foreign.currency} 汇率 ${foreign.rate}，汇兑损益 ${foreign.fx}（本位币）`, `; ${foreign.currency} at ${foreign.rate}, exchange difference ${foreign.fx} (base)`)
          : '')
      );
    });
    return c.redirect(`/console/finance/receipts?${new URLSearchParams({ payerCode: field(form, 'payerCode') })}`, 303);
  });

  app.post('/finance/refunds', async (c) => {
    const form = await c.req.parseBody();
    const lang = c.get('session').lang;
    const paidOn = field(form, 'paidOn');
    const body = { payerCode: field(form, 'payerCode'), amount: field(form, 'amount'), method: field(form, 'method'), ...(paidOn ? { paidOn } : {}) };
    await sendAndFlash(c, deps.api, '/finance/refunds', body, form, (r) =>
      t(lang, `退款单 ${r.number} 已登记：${money(String(r.amount))}；余额 ${money(String(r.creditLeft))}`, `Refund ${r.number} recorded: ${money(String(r.amount))}; credit left ${money(String(r.creditLeft))}`),
    );
    return c.redirect(`/console/finance/receipts?${new URLSearchParams({ payerCode: field(form, 'payerCode') })}`, 303);
  });

  app.get('/finance/write-offs', async (c) => {
    const session = c.get('session');
    const lang = session.lang;
    const title = t(lang, '坏账核销审批', 'Bad-debt write-offs to decide');
    if (!mayPerform(session.user.role, 'decideWriteOff') && !mayPerform(session.user.role, 'writeOff')) {
      return c.html(<Forbidden session={session} title={title} flash={takeFlash(c)} />, 403);
    }
    const [requests, authority] = await Promise.all([undecidedWriteOffs(deps.sql), writeOffAuthorityOf(deps.sql, session.user.name)]);
    const cols = ['orderNumber', 'customerCode', 'writeOffId', 'status', 'amount', 'reason', 'requestedBy', 'requestedAt', ''];
    return c.html(
      <Layout title={title} session={session} flash={takeFlash(c)}>
        <p class="muted">{t(lang, '申请人不能审批自己的申请，须由另一位财务审批人决定。', 'Whoever asked cannot decide: another finance approver does.')}</p>
        {requests.length === 0 ? <p>{t(lang, '没有待审批的坏账核销。', 'No write-off waits for a decision.')}</p> : (
          <table>
            <thead><tr>{cols.map((k) => <th data-key={k}>{k ? label(lang, k) : ''}</th>)}</tr></thead>
            <tbody>
              {requests.map((r) => (
                <tr data-write-off={`${r.orderNumber}/${r.id}`}>
                  <td><a href={`/console/orders/${r.orderNumber}`}>{r.orderNumber}</a></td>
                  <td>{r.customerCode} {r.customerName}</td>
                  <td>{r.id}</td>
                  <td>{label(lang, r.status)}</td>
                  <td class="num">{money(r.amount)} {r.currency}</td>
                  <td>{r.reason}</td>
                  <td>{r.requestedBy}</td>
                  <td>{when(r.requestedAt, session.timeZone)}</td>
                  <td>
                    {mayDecideWriteOff(r, session.user, authority) ? (
                      <div class="actions">
                        <ApiForm action={`/console/finance/write-offs/${r.orderNumber}/${r.id}/approve`} name="write-off-approve" session={session} button={t(lang, '核准核销', 'Approve write-off')} />
                        <ApiForm action={`/console/finance/write-offs/${r.orderNumber}/${r.id}/reject`} name="write-off-reject" session={session} button={t(lang, '驳回', 'Reject')}>
                          <input name="reason" required maxlength={500} placeholder={label(lang, 'reason')} aria-label={label(lang, 'reason')} />
                        </ApiForm>
                      </div>
                    ) : (
                      <span class="muted">
                        {r.requestedBy === session.user.name ? t(lang, '您的申请，等待他人审批', 'Yours: another approver decides') : t(lang, '无审批权限', 'Not yours to decide')}
                      </span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Layout>,
    );
  });

  app.post('/finance/write-offs/:number/:id/:verb', async (c) => {
    const { number, id, verb } = c.req.param();
    if (!DOCUMENT_NUMBER.test(number) || !/^[1-9]\d{0,3}$/.test(id) || (verb !== 'approve' && verb !== 'reject')) return c.text('No such console command.', 404);
    const form = await c.req.parseBody();
    const lang = c.get('session').lang;
    await sendAndFlash(c, deps.api, `/orders/${number}/write-offs/${id}/${verb}`, verb === 'approve' ? {} : { reason: field(form, 'reason') }, form, (r) => {
      const w = r.writeOffRequest as { id: number; status: string; amount: string };
      return t(lang, `订单 ${number} 的核销申请 ${w.id}：${label('zh-CN', w.status)}（${money(w.amount)}）`, `Write-off ${w.id} of order ${number}: ${w.status} (${money(w.amount)})`);
    });
    return c.redirect('/console/finance/write-offs', 303);
  });

  return app;
}
