import type { Child } from 'hono/jsx';
import type { Command } from '../domain/authorization.js';
import type { OfferedCommand } from '../domain/order/available.js';
import { mayDecideWriteOff, mayRequestWriteOff, type WriteOffAuthority } from '../domain/order/write-off.js';
import type { WriteOffRequestView } from '../db/write-off-requests.js';
import { money } from './format.js';
import { label, say, type Lang, type Words } from './i18n.js';
import { CsrfField } from './layout.js';
import type { ConsoleSession } from './session.js';
/**
 * The order commands a console form can send: the API route it posts to, the
 * permission from the role matrix that decides whether the form shows, its words,
 * and how the form's fields become the route's JSON body. The API checks everything
 * again. A change (订单变更单) and a draft's edit have their own pages (console/order-change.tsx, order-draft.tsx).
 */
export type OrderActionName = Exclude<OfferedCommand, 'change' | 'editDraft'>;
export type FormFields = Record<string, string | File | (string | File)[]>;

interface OrderAction {
  command: Command;
  route: (f: FormFields) => string;
  words: Words;
  body: (f: FormFields) => unknown;
}

export const text = (v: FormFields[string] | undefined) => (typeof v === 'string' ? v.trim() : '');
const optional = (key: string, v: string) => (v ? { [key]: v } : {});
/** A whole number is sent as one; anything else as typed, for the API to name the field it refuses. */
const whole = (v: string): number | string => (/^\d{1,9}$/.test(v) ? Number(v) : v);

/** One `<prefix><lineNo>` field per line; a blank field leaves the line out. */
function perLine<K extends string>(f: FormFields, prefix: string, as: K): ({ lineNo: number } & Record<K, string>)[] {
  const pattern = new RegExp(`^${prefix}(\\d{1,9})$`);
  return Object.entries(f)
    .map(([k, v]) => ({ m: pattern.exec(k), v: text(v) }))
    .filter((e) => e.m && e.v !== '')
    .map((e) => ({ lineNo: Number(e.m![1]), [as]: e.v }) as { lineNo: number } & Record<K, string>);
}

/**
 * The batches the form's `take_<line>_<i>` fields name for a line; none when they are what FEFO suggested (`fefo_<line>`),
 * so a changed quantity alone is served by FEFO rather than refused for no longer adding up.
 */
function batchesOf(f: FormFields, lineNo: number): { batches?: { batchNo: string; quantity: string }[] } {
  const taken = Object.keys(f)
    .map((k) => new RegExp(`^take_${lineNo}_(\\d{1,4})$`).exec(k))
    .filter((m): m is RegExpExecArray => m !== null && text(f[m[0]]) !== '')
    .sort((a, b) => Number(a[1]) - Number(b[1]))
    .map((m) => ({ batchNo: text(f[`batchNo_${lineNo}_${m[1]}`]), quantity: text(f[m[0]]) }));
  const unchanged = JSON.stringify(taken.map((b) => [b.batchNo, b.quantity])) === text(f[`fefo_${lineNo}`]);
  return taken.length === 0 || unchanged ? {} : { batches: taken };
}

const deliverBody = (f: FormFields) => ({
  lines: perLine(f, 'qty_', 'quantity').map((l) => ({ ...l, ...batchesOf(f, l.lineNo) })),
  ...optional('noticeNumber', text(f.noticeNumber)),
  ...optional('carrier', text(f.carrier)),
  ...optional('trackingNumber', text(f.trackingNumber)),
});
/**
 * 部分开票: the lines and quantities as filled in (the form prefills all that is left). A post without the line
 * fields invoices everything, as the API does; fields all cleared send no line, which the API refuses.
 */
const invoiceBody = (f: FormFields) => (Object.keys(f).some((k) => /^inv_\d{1,9}$/.test(k)) ? { lines: perLine(f, 'inv_', 'quantity') } : {});
const reasonBody = (f: FormFields) => ({ reason: text(f.reason) });
const none = () => ({});
const fixed = (route: string) => () => route;
// The version goes into the API's path: only a change number (callApi also refuses any path a value could bend).
const changeRoute = (verb: string) => (f: FormFields) => `changes/${/^\d{1,4}$/.test(text(f.version)) ? text(f.version) : 'invalid'}/${verb}`;

export const ORDER_ACTIONS: Record<OrderActionName, OrderAction> = {
  approve: { command: 'approve', route: fixed('approve'), words: { zh: '审核', en: 'Approve' }, body: none },
  reject: { command: 'reject', route: fixed('reject'), words: { zh: '驳回', en: 'Reject' }, body: reasonBody },
  approveChange: { command: 'approve', route: changeRoute('approve'), words: { zh: '审核变更', en: 'Approve change' }, body: none },
  rejectChange: { command: 'reject', route: changeRoute('reject'), words: { zh: '驳回变更', en: 'Reject change' }, body: reasonBody },
  reserve: { command: 'reserveStock', route: fixed('reserve'), words: { zh: '预留欠货库存', en: 'Reserve back-ordered stock' }, body: none },
  shippingNotice: {
    command: 'issueShippingNotice',
    route: fixed('shipping-notices'),
    words: { zh: '开出货通知单', en: 'Issue shipping notice' },
    body: (f) => ({ lines: perLine(f, 'plan_', 'quantity'), requiresQualityCheck: text(f.requiresQualityCheck) === 'on' }),
  },
  qualityCheck: {
    command: 'issueShippingNotice',
    route: fixed('quality-checks'),
    words: { zh: '出货复核', en: 'Record quality re-check' },
    body: (f) => ({ noticeNumber: text(f.noticeNumber), result: text(f.result) }),
  },
  deliver: { command: 'deliver', route: fixed('deliver'), words: { zh: '出货', en: 'Deliver' }, body: deliverBody },
  invoice: { command: 'invoice', route: fixed('invoice'), words: { zh: '开发票', en: 'Invoice' }, body: invoiceBody },
  receipt: {
    command: 'recordReceipt',
    route: fixed('receipts'),
    words: { zh: '登记收款', en: 'Record receipt' },
    body: (f) => ({ amount: text(f.amount), method: text(f.method), ...optional('reference', text(f.reference)) }),
  },
  closeLine: { command: 'changeOrder', route: fixed('close-line'), words: { zh: '指定结束', en: 'Close line' }, body: (f) => ({ lineNo: whole(text(f.lineNo)) }) },
  return: {
    command: 'recordReturn',
    route: fixed('returns'),
    words: { zh: '登记销退', en: 'Record return' },
    body: (f) => ({
      deliveryNote: text(f.deliveryNote),
      disposition: text(f.disposition),
      reason: text(f.reason),
      lines: perLine(f, 'return_', 'quantity'),
    }),
  },
  allowance: {
    command: 'grantAllowance',
    route: fixed('allowances'),
    words: { zh: '登记折让', en: 'Grant allowance' },
    body: (f) => ({ reason: text(f.reason), lines: perLine(f, 'amount_', 'amount') }),
  },
  cancel: { command: 'cancelOrder', route: fixed('cancel'), words: { zh: '取消订单', en: 'Cancel order' }, body: reasonBody },
};

export const isOrderAction = (name: string): name is OrderActionName => Object.hasOwn(ORDER_ACTIONS, name);

/** The documents a command's answer names, as the success message lists them. */
const ISSUED: { key: string; words: Words }[] = [
  { key: 'shippingNotice', words: { zh: '出货通知单', en: 'shipping notice' } },
  { key: 'deliveryNote', words: { zh: '销货单', en: 'delivery note' } },
  { key: 'invoice', words: { zh: '发票', en: 'invoice' } },
  { key: 'receipt', words: { zh: '收款单', en: 'receipt' } },
  { key: 'salesReturn', words: { zh: '销退单', en: 'return' } },
  { key: 'creditNote', words: { zh: '折让单/红字发票', en: 'credit note' } },
];

/** "Deliver: done (delivery note DN-…); the order is now Delivered." in the user's language. */
export function doneText(lang: Lang, words: Words, answer: Record<string, unknown>): string {
  const issued = ISSUED.filter((d) => typeof answer[d.key] === 'string').map((d) => `${say(lang, d.words)} ${String(answer[d.key])}`);
  if (answer.creditNote && typeof answer.creditGross === 'string') issued.push(money(answer.creditGross));
  const status = (answer.order as { status?: string } | undefined)?.status;
  const now = status ? label(lang, status) : undefined;
  return lang === 'en'
    ? `${words.en}: done${issued.length ? ` (${issued.join(', ')})` : ''}${now ? `; the order is now ${now}` : ''}.`
    : `${words.zh}：完成${issued.length ? `（${issued.join('，')}）` : ''}${now ? `；订单现为${now}` : ''}。`;
}

/** "Approve refused: …" in the user's language (the API's own message follows). */
export const refusedText = (lang: Lang, words: Words, message: string) =>
  lang === 'en' ? `${words.en} refused: ${message}` : `${words.zh}被拒绝：${message}`;

/** The checks before approval (an opening order's too): a failed one is shown for anyone to follow up. */
export function OrderChecks(props: { lang: Lang; checks: { code: string; passed: boolean; message: string; warning?: boolean | undefined }[] }) {
  const { lang } = props;
  if (props.checks.length === 0) return <p class="muted">{say(lang, { zh: '尚无检查记录。', en: 'No checks recorded yet.' })}</p>;
  return (
    <ul class="checks">
      {props.checks.map((c) => (
        <li class={c.passed ? 'passed' : 'failed'} data-check={c.code}>
          {say(lang, c.passed ? { zh: '通过', en: 'passed' } : c.warning ? { zh: '警告', en: 'warning' } : { zh: '未通过', en: 'FAILED' })}: {c.message}
        </li>
      ))}
    </ul>
  );
}

/** An order in one of these states takes no more commands except a late return or allowance (which reopen a completed one). */
export const ENDED = new Set(['Completed', 'Cancelled', 'Rejected']);

function WriteOffForm(props: { number: string; path: string; label: string; session: ConsoleSession; children?: Child }) {
  return (
    <form method="post" action={`/console/orders/${props.number}/write-offs${props.path}`} data-action={`write-off${props.path.replaceAll('/', '-')}`}>
      <CsrfField session={props.session} />
      {props.children}
      <button type="submit">{props.label}</button>
    </form>
  );
}

/**
 * 坏账核销: the order's write-off requests; finance may ask for one, and a finance
 * approver who did not ask may approve or reject a pending one (the domain's
 * mayDecideWriteOff decides whether the buttons show; the API decides again).
 */
export function WriteOffRequests(props: {
  order: { number: string; status: string };
  /** What the order's invoices still have open (db/write-off-requests.ts openOnInvoices). */
  open: string;
  requests: WriteOffRequestView[];
  authority: WriteOffAuthority | undefined;
  session: ConsoleSession;
}) {
  const { order, requests, authority, session } = props;
  const undecided = requests.find((r) => r.status === 'pending' || r.status === 'approving');
  const mayAsk = mayRequestWriteOff(session.user.role, { ...order, open: props.open }, undecided);
  const t = (zh: string, en: string) => say(session.lang, { zh, en });
  if (requests.length === 0 && !mayAsk) return <p class="muted">{t('没有坏账核销申请。', 'No bad-debt write-off requested.')}</p>;
  return (
    <div class="write-offs">
      {requests.length ? (
        <table>
          <thead>
            <tr>
              <th>#</th><th>{t('状态', 'Status')}</th><th>{t('金额', 'Amount')}</th><th>{t('原因', 'Reason')}</th>
              <th>{t('申请人', 'Asked by')}</th><th>{t('审批人', 'Decided by')}</th><th></th>
            </tr>
          </thead>
          <tbody>
            {requests.map((r) => (
              <tr data-write-off={r.id}>
                <td>{r.id}</td>
                <td>{label(session.lang, r.status)}</td>
                <td class="num">{money(r.amount)} {r.currency}</td>
                <td>{r.reason}</td>
                <td>{r.requestedBy}</td>
                <td>{r.decidedBy ?? ''}{r.rejectReason ? `: ${r.rejectReason}` : ''}</td>
                <td>
                  {mayDecideWriteOff(r, session.user, authority) ? (
                    <>
                      <WriteOffForm number={order.number} path={`/${r.id}/approve`} label={t('批准核销', 'Approve write-off')} session={session} />
                      <WriteOffForm number={order.number} path={`/${r.id}/reject`} label={t('驳回核销', 'Reject write-off')} session={session}>
                        <input name="reason" placeholder={t('原因', 'reason')} required />
                      </WriteOffForm>
                    </>
                  ) : ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : ''}
      {mayAsk ? (
        <WriteOffForm number={order.number} path="" label={t('申请坏账核销', 'Request bad-debt write-off')} session={session}>
          <input name="reason" placeholder={t('无法收回的原因', 'why it will never be paid')} required />
        </WriteOffForm>
      ) : ''}
    </div>
  );
}
