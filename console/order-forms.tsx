import { randomUUID } from 'node:crypto';
import type { Child } from 'hono/jsx';
import { mayPerform } from '../domain/authorization.js';
import { dec } from '../domain/decimal.js';
import type { BatchSuggestion } from '../db/batches.js';
import type { OrderOffers } from '../domain/order/available.js';
import { money, qty } from './format.js';
import { label, say, type Lang, type Words } from './i18n.js';
import { CsrfField } from './layout.js';
import { choiceWord } from './master-data/choices.js';
import { ENDED, ORDER_ACTIONS, type OrderActionName } from './order-actions.js';
import type { ConsoleSession } from './session.js';

/** What the forms need of the order: its lines (with names), its shipping notices and delivery notes. */
export interface OrderForForms {
  number: string;
  status: string;
  lines: { lineNo: number; productCode: string; productName?: string | undefined; quantity: string; deliveredQty: string; closeStatus: string }[];
  shippingNotices: { number: string; lines: { orderLineNo: number; plannedQty: string }[] }[];
  deliveryNotes: { number: string }[];
}

const METHODS = ['bank_transfer', 'cash', 'card', 'cheque', 'other'] as const;

function ActionForm(props: { order: OrderForForms; name: OrderActionName; session: ConsoleSession; words?: Words; children?: Child }) {
  const { order, name, session } = props;
  return (
    <form method="post" action={`/console/orders/${order.number}/${name}`} data-action={name}>
      <CsrfField session={session} />
      {/* A fresh key per rendered form: a double click or a resent form does not act twice. */}
      <input type="hidden" name="_key" value={randomUUID()} />
      {props.children}
      <button type="submit">{say(session.lang, props.words ?? ORDER_ACTIONS[name].words)}</button>
    </form>
  );
}

const lineName = (l: OrderForForms['lines'][number]) => `${l.lineNo} ${l.productCode}${l.productName ? ` ${l.productName}` : ''}`;
const remaining = (l: OrderForForms['lines'][number]) => dec(l.quantity).minus(l.deliveredQty);

/** One quantity (or amount) field per line, labelled with the line's product. */
function LineFields(props: { lines: OrderForForms['lines']; prefix: string; value: (l: OrderForForms['lines'][number]) => string; hint?: (l: OrderForForms['lines'][number]) => string }) {
  return (
    <>
      {props.lines.map((l) => (
        <label class="line">
          {lineName(l)}{' '}
          <input class="qty" name={`${props.prefix}${l.lineNo}`} inputmode="decimal" value={props.value(l)} />
          {props.hint ? <span class="muted"> {props.hint(l)}</span> : ''}
          <br />
        </label>
      ))}
    </>
  );
}

const w = (lang: Lang, zh: string, en: string) => say(lang, { zh, en });

/**
 * A batch-tracked line's batches on the delivery form: every unexpired batch of its warehouse (soonest expiry first)
 * with what FEFO would take filled in. The warehouse person may take other batches; left as suggested, the form sends
 * no batches and the delivery applies FEFO to whatever quantity the line delivers (order-actions.tsx deliverBody).
 */
function BatchFields(props: { lang: Lang; line: BatchSuggestion['lines'][number] }) {
  const { lang, line } = props;
  const suggested = new Map(line.batches.map((b) => [b.batchNo, b.quantity]));
  return (
    <fieldset class="batches" data-batches-for={line.lineNo}>
      <legend>
        {w(lang, `项次 ${line.lineNo} ${line.productCode} 的批次`, `Batches of line ${line.lineNo} ${line.productCode}`)}{' '}
        <span class="muted">{label(lang, 'suggestedBatches')}: {line.batches.map((b) => `${b.batchNo} × ${qty(b.quantity)}`).join(', ') || '—'}</span>
      </legend>
      {dec(line.short).gt(0) ? <p class="failed">{w(lang, `可用批次还差 ${qty(line.short)}`, `Usable batches are ${qty(line.short)} short`)}</p> : ''}
      <input type="hidden" name={`fefo_${line.lineNo}`} value={JSON.stringify(line.batches.map((b) => [b.batchNo, b.quantity]))} />
      <table>
        <thead><tr><th>{label(lang, 'batchNo')}</th><th>{label(lang, 'expiryDate')}</th><th>{label(lang, 'onHand')}</th><th>{label(lang, 'quantity')}</th></tr></thead>
        <tbody>
          {line.available.map((b, i) => (
            <tr>
              <td>{b.batchNo}<input type="hidden" name={`batchNo_${line.lineNo}_${i}`} value={b.batchNo} /></td>
              <td>{b.expiryDate}</td>
              <td class="num">{qty(b.onHand)}</td>
              <td>
                <input class="qty" inputmode="decimal" name={`take_${line.lineNo}_${i}`} value={suggested.get(b.batchNo) ?? ''}
                  aria-label={`${label(lang, 'batchNo')} ${b.batchNo}`} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </fieldset>
  );
}

function CarrierFields(props: { lang: Lang }) {
  return (
    <>
      <input name="carrier" placeholder={w(props.lang, '承运商', 'carrier')} aria-label={w(props.lang, '承运商', 'carrier')} />
      <input name="trackingNumber" placeholder={w(props.lang, '运单号', 'tracking number')} aria-label={w(props.lang, '运单号', 'tracking number')} />
    </>
  );
}

const ReasonField = (props: { lang: Lang; placeholder?: Words }) => (
  <input name="reason" required placeholder={say(props.lang, props.placeholder ?? { zh: '原因', en: 'reason' })} aria-label={say(props.lang, { zh: '原因', en: 'reason' })} />
);

/**
 * The forms this user may send on this order now: their role's (domain/authorization.ts), and of those what the
 * order's state allows (`offers`, from the workflow's live state by the validators' own rules), on the notices
 * and lines it allows them for. Without the live state nothing is offered: the console cannot tell what would pass.
 */
export function OrderCommands(props: { order: OrderForForms; session: ConsoleSession; offers: OrderOffers | undefined; amountDue?: string | undefined; batches?: BatchSuggestion | undefined }) {
  const { order, session, offers } = props;
  const lang = session.lang;
  const status = label(lang, order.status);
  if (!offers) {
    return ENDED.has(order.status)
      ? <p class="muted">{w(lang, `此订单已结束（${status}），没有可执行的命令。`, `This order has ended (${status}); no commands remain.`)}</p>
      : <p class="muted">{w(lang, '订单流程暂未应答，稍后刷新再试。', "The order's workflow is not answering; reload in a moment.")}</p>;
  }
  const may = (name: OrderActionName) => offers.commands.has(name) && mayPerform(session.user.role, ORDER_ACTIONS[name].command);
  const mayChange = offers.commands.has('change') && mayPerform(session.user.role, 'changeOrder');
  const mayEdit = offers.commands.has('editDraft') && mayPerform(session.user.role, 'editDraft');
  const any = mayChange || mayEdit || (Object.keys(ORDER_ACTIONS) as OrderActionName[]).some(may);
  if (!any) {
    return ENDED.has(order.status)
      ? <p class="muted">{w(lang, `此订单已结束（${status}），没有可执行的命令。`, `This order has ended (${status}); no commands remain.`)}</p>
      : <p class="muted">{w(lang, `此订单目前（${status}）没有您可执行的命令。`, `Nothing for you to do on this order now (${status}).`)}</p>;
  }
  const form = (name: OrderActionName, children?: Child, words?: Words) =>
    may(name) ? <ActionForm order={order} name={name} session={session} words={words}>{children}</ActionForm> : '';
  const open = order.lines.filter((l) => l.closeStatus === 'N');
  const byNo = (n: number) => order.lines.find((l) => l.lineNo === n)!;
  const toInvoice = (l: { lineNo: number }) => offers.linesToInvoice.find((x) => x.lineNo === l.lineNo)?.quantity ?? '';
  const due = props.amountDue && dec(props.amountDue).gt(0) ? props.amountDue : '';
  return (
    <div class="actions">
      {form('approve')}
      {form('reject', <ReasonField lang={lang} />)}
      {mayEdit ? (
        <p>
          <a class="button" href={`/console/orders/${order.number}/draft`} data-link="draft">
            {order.status === 'Rejected' ? w(lang, '修改后重新提交', 'Revise and resubmit') : w(lang, '编辑草稿', 'Edit draft')}
          </a>
        </p>
      ) : ''}
      {mayChange ? (
        <p><a class="button" href={`/console/orders/${order.number}/change`} data-link="change">{w(lang, '变更订单（订单变更单）', 'Edit order (order change)')}</a></p>
      ) : ''}
      {offers.changeVersion !== undefined ? (
        <>
          {form('approveChange', <input type="hidden" name="version" value={String(offers.changeVersion)} />, { zh: `审核变更 ${String(offers.changeVersion).padStart(4, '0')}`, en: `Approve change ${String(offers.changeVersion).padStart(4, '0')}` })}
          {form('rejectChange', <><input type="hidden" name="version" value={String(offers.changeVersion)} /><ReasonField lang={lang} /></>, { zh: `驳回变更 ${String(offers.changeVersion).padStart(4, '0')}`, en: `Reject change ${String(offers.changeVersion).padStart(4, '0')}` })}
        </>
      ) : ''}
      {form('reserve')}
      {form(
        'shippingNotice',
        <>
          <LineFields lines={open} prefix="plan_" value={(l) => (remaining(l).gt(0) ? remaining(l).toString() : '')} />
          <label><input type="checkbox" name="requiresQualityCheck" /> {w(lang, '出货前需复核', 'needs a quality re-check')}</label>
          <br />
        </>,
      )}
      {offers.noticesToCheck.map((n) =>
        form(
          'qualityCheck',
          <>
            <input type="hidden" name="noticeNumber" value={n} />
            <select name="result" aria-label={w(lang, '复核结果', 'result')}>
              <option value="pass">{label(lang, 'quality.pass')}</option>
              <option value="fail">{label(lang, 'quality.fail')}</option>
            </select>
          </>,
          { zh: `出货复核 ${n}`, en: `Quality re-check ${n}` },
        ),
      )}
      {offers.noticesToDeliver.map((n) => {
        const notice = order.shippingNotices.find((s) => s.number === n);
        if (!notice) return '';
        return form(
          'deliver',
          <>
            <input type="hidden" name="noticeNumber" value={n} />
            <LineFields lines={notice.lines.map((l) => byNo(l.orderLineNo))} prefix="qty_" value={(l) => notice.lines.find((x) => x.orderLineNo === l.lineNo)!.plannedQty} />
            <CarrierFields lang={lang} />
          </>,
          { zh: `按通知单 ${n} 出货`, en: `Deliver notice ${n}` },
        );
      })}
      {form(
        'deliver',
        <>
          <LineFields lines={open} prefix="qty_" value={(l) => (remaining(l).gt(0) ? remaining(l).toString() : '')} />
          {(props.batches?.lines ?? []).map((b) => <BatchFields lang={lang} line={b} />)}
          <CarrierFields lang={lang} />
        </>,
      )}
      {form('closeLine', (
        <select name="lineNo" aria-label={label(lang, 'lineNo')}>
          {offers.linesToClose.map((n) => <option value={String(n)}>{lineName(byNo(n))}</option>)}
        </select>
      ))}
      {form(
        'invoice',
        <LineFields
          lines={offers.linesToInvoice.map((l) => byNo(l.lineNo))}
          prefix="inv_"
          value={toInvoice}
          hint={(l) => w(lang, `已出货未开票 ${qty(toInvoice(l))}`, `${qty(toInvoice(l))} delivered, not invoiced`)}
        />,
      )}
      {form(
        'receipt',
        <>
          <input name="amount" required inputmode="decimal" value={due} placeholder={label(lang, 'amount')} aria-label={label(lang, 'amount')} />
          <select name="method" aria-label={label(lang, 'method')}>
            {METHODS.map((m) => <option value={m}>{label(lang, `method.${m}`)}</option>)}
          </select>
          <input name="reference" placeholder={w(lang, '参考号', 'reference')} aria-label={w(lang, '参考号', 'reference')} />
        </>,
      )}
      {form(
        'return',
        <>
          <select name="deliveryNote" aria-label={label(lang, 'deliveryNote')}>
            {[...order.deliveryNotes].reverse().map((d) => <option value={d.number}>{d.number}</option>)}
          </select>
          <br />
          <LineFields lines={offers.linesToReturn.map(byNo)} prefix="return_" value={() => ''} hint={(l) => `${label(lang, 'deliveredQty')} ${qty(l.deliveredQty)}`} />
          <select name="disposition" aria-label={label(lang, 'disposition')}>
            <option value="redeliver">{label(lang, 'disposition.redeliver')}</option>
            <option value="cancel_remainder">{label(lang, 'disposition.cancel_remainder')}</option>
          </select>
          <ReasonField lang={lang} />
        </>,
      )}
      {form(
        'allowance',
        <>
          <LineFields lines={offers.linesToAllow.map(byNo)} prefix="amount_" value={() => ''} hint={() => w(lang, '未税金额', 'net amount')} />
          <ReasonField lang={lang} />
        </>,
      )}
      {form('cancel', <ReasonField lang={lang} />)}
      {due ? <p class="muted">{w(lang, `应收余额 ${money(due)}`, `Amount due ${money(due)}`)}</p> : ''}
    </div>
  );
}

/** What the header fields of a new order are chosen from: every active customer's addresses and contacts, and who sells. */
export interface HeaderChoices {
  addresses: { customerCode: string; label: string; address: string }[];
  contacts: { customerCode: string; name: string }[];
  salespeople: string[];
}

const SETTLEMENT_TERMS = ['net', 'cash', 'transfer', 'monthly'] as const;

/**
 * Shows only the chosen customer's addresses and contacts (each select groups them by customer); without the
 * script every group shows and the API refuses an address or contact of another customer, naming the field.
 */
const BY_CUSTOMER = `(function(){var c=document.querySelector('input[name=customerCode]');if(!c)return;function f(){var v=c.value.trim();document.querySelectorAll('select[data-by-customer]').forEach(function(s){s.querySelectorAll('optgroup').forEach(function(g){var on=g.dataset.customer===v;g.hidden=!on;g.disabled=!on});var o=s.selectedOptions[0];if(o&&o.parentElement.tagName==='OPTGROUP'&&o.parentElement.disabled)s.value=''})}c.addEventListener('input',f);c.addEventListener('change',f);f()})()`;

/** A select of one customer's entries, grouped by customer; '' keeps the default. */
function ByCustomer(props: { name: string; lang: Lang; blank: string; value: string; items: { customerCode: string; value: string; text: string }[] }) {
  const groups = [...new Set(props.items.map((i) => i.customerCode))];
  return (
    <select name={props.name} data-by-customer aria-label={label(props.lang, props.name)}>
      <option value="">{props.blank}</option>
      {groups.map((code) => (
        <optgroup label={code} data-customer={code}>
          {props.items.filter((i) => i.customerCode === code).map((i) => <option value={i.value} selected={i.value === props.value}>{i.text}</option>)}
        </optgroup>
      ))}
    </select>
  );
}

/** The order's header on the new-order form: ship-to and contact of the customer, salesperson, department, deposit, terms. */
export function OrderHeaderInputs(props: { lang: Lang; choices: HeaderChoices; value: (key: string) => string }) {
  const { lang, choices, value: v } = props;
  return (
    <fieldset class="order-header">
      <p>
        <label>{label(lang, 'shipTo')}{' '}
          <ByCustomer name="shipTo" lang={lang} blank={w(lang, '（客户默认地址）', "(the customer's default)")} value={v('shipTo')}
            items={choices.addresses.map((a) => ({ customerCode: a.customerCode, value: a.label, text: `${a.label}: ${a.address}` }))} />
        </label>{' '}
        <label>{label(lang, 'contact')}{' '}
          <ByCustomer name="contact" lang={lang} blank={w(lang, '（地址上的联系人）', "(the address's contact)")} value={v('contact')}
            items={choices.contacts.map((c) => ({ customerCode: c.customerCode, value: c.name, text: c.name }))} />
        </label>
      </p>
      <p>
        <label>{label(lang, 'salesperson')}{' '}
          <select name="salesperson" aria-label={label(lang, 'salesperson')}>
            <option value="">{w(lang, '（我）', '(me)')}</option>
            {choices.salespeople.map((n) => <option value={n} selected={n === v('salesperson')}>{n}</option>)}
          </select>
        </label>{' '}
        <label>{label(lang, 'department')} <input name="department" maxlength={60} value={v('department')} /></label>
      </p>
      <p>
        <label>{label(lang, 'depositRatio')} <input name="depositRatio" inputmode="decimal" placeholder="0.3" value={v('depositRatio')} /></label>{' '}
        <label>{w(lang, '或 ', 'or ')}{label(lang, 'depositAmount')} <input name="depositAmount" inputmode="decimal" value={v('depositAmount')} /></label>
        <span class="muted"> {w(lang, '（都留空：按客户的订金比例）', "(both blank: the customer's ratio)")}</span>
      </p>
      <p>
        <label>{label(lang, 'paymentTerms')}{' '}
          <select name="settlementTerms" aria-label={label(lang, 'settlementTerms')}>
            <option value="">{w(lang, '（按客户设定）', "(the customer's)")}</option>
            {SETTLEMENT_TERMS.map((t) => <option value={t} selected={t === v('settlementTerms')}>{choiceWord(lang, 'settlementTerms', t) ?? t}</option>)}
          </select>
        </label>{' '}
        <label>{label(lang, 'settlementDays')} <input name="settlementDays" class="qty" inputmode="numeric" value={v('settlementDays')} /></label>
      </p>
      <script dangerouslySetInnerHTML={{ __html: BY_CUSTOMER }} />
    </fieldset>
  );
}

/** The header fields of the form as the API's create-order fields; a blank field is left out (the API's default). */
export function orderHeaderBody(text: (key: string) => string) {
  const given = (key: string) => (text(key) === '' ? {} : { [key]: text(key) });
  const terms = text('settlementTerms');
  const days = text('settlementDays');
  return {
    ...given('shipTo'),
    ...given('contact'),
    ...given('salesperson'),
    ...given('department'),
    ...given('depositRatio'),
    ...given('depositAmount'),
    // Cash and monthly terms count no days; other days that are not a whole number (or none) go as typed, so
    // the API names the field that refused them.
    ...(terms ? { paymentTerms: { settlementTerms: terms, settlementDays: /^\d{1,3}$/.test(days) ? Number(days) : days === '' && (terms === 'cash' || terms === 'monthly') ? 0 : days || undefined } } : {}),
  };
}
