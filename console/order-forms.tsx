import { randomUUID } from 'node:crypto';
import type { Child } from 'hono/jsx';
import { mayPerform } from '../domain/authorization.js';
import { dec } from '../domain/decimal.js';
import type { OrderOffers } from '../domain/order/available.js';
import { money, qty } from './format.js';
import { label, say, type Lang, type Words } from './i18n.js';
import { CsrfField } from './layout.js';
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
export function OrderCommands(props: { order: OrderForForms; session: ConsoleSession; offers: OrderOffers | undefined; amountDue?: string | undefined }) {
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
          <CarrierFields lang={lang} />
        </>,
      )}
      {form('closeLine', (
        <select name="lineNo" aria-label={label(lang, 'lineNo')}>
          {offers.linesToClose.map((n) => <option value={String(n)}>{lineName(byNo(n))}</option>)}
        </select>
      ))}
      {form('invoice')}
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
