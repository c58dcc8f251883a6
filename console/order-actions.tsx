import { randomUUID } from 'node:crypto';
import type { Child } from 'hono/jsx';
import { mayPerform, type Command } from '../domain/authorization.js';
import { dec } from '../domain/decimal.js';
import { CsrfField } from './layout.js';
import type { ConsoleSession } from './session.js';

/**
 * The order commands a console button can send: the API route it posts to, the
 * permission from the role matrix that decides whether the button shows, and how
 * the form's fields become the route's JSON body. The API checks everything again.
 */
export const ORDER_ACTIONS = {
  approve: { command: 'approve', route: 'approve', label: 'Approve', body: () => ({}) },
  reject: { command: 'reject', route: 'reject', label: 'Reject', body: (f: FormFields) => ({ reason: text(f.reason) }) },
  reserve: { command: 'reserveStock', route: 'reserve', label: 'Reserve back-ordered stock', body: () => ({}) },
  deliver: { command: 'deliver', route: 'deliver', label: 'Deliver', body: deliverBody },
  invoice: { command: 'invoice', route: 'invoice', label: 'Invoice', body: () => ({}) },
  receipt: {
    command: 'recordReceipt',
    route: 'receipts',
    label: 'Record receipt',
    body: (f: FormFields) => ({ amount: text(f.amount), method: text(f.method) }),
  },
  cancel: { command: 'cancelOrder', route: 'cancel', label: 'Cancel order', body: (f: FormFields) => ({ reason: text(f.reason) }) },
} satisfies Record<string, { command: Command; route: string; label: string; body: (f: FormFields) => unknown }>;

export type OrderActionName = keyof typeof ORDER_ACTIONS;
export type FormFields = Record<string, string | File | (string | File)[]>;

const text = (v: FormFields[string] | undefined) => (typeof v === 'string' ? v.trim() : '');

/** One `qty_<lineNo>` field per line; a blank field leaves the line out of this delivery note. */
function deliverBody(f: FormFields) {
  const lines = Object.entries(f)
    .filter(([k, v]) => /^qty_\d+$/.test(k) && text(v) !== '')
    .map(([k, v]) => ({ lineNo: Number(k.slice(4)), quantity: text(v) }));
  const carrier = text(f.carrier);
  return { lines, ...(carrier ? { carrier } : {}) };
}

export const isOrderAction = (name: string): name is OrderActionName => Object.hasOwn(ORDER_ACTIONS, name);

const ENDED = new Set(['Completed', 'Cancelled', 'Rejected']);

interface OrderForButtons {
  number: string;
  status: string;
  lines: { lineNo: number; productCode: string; quantity: string; deliveredQty: string; closeStatus: string }[];
}

function ActionForm(props: { order: OrderForButtons; name: OrderActionName; session: ConsoleSession; children?: Child }) {
  return (
    <form method="post" action={`/console/orders/${props.order.number}/${props.name}`} data-action={props.name}>
      <CsrfField session={props.session} />
      {/* A fresh key per rendered form: a double click or a resent form does not act twice. */}
      <input type="hidden" name="_key" value={randomUUID()} />
      {props.children}
      <button type="submit">{ORDER_ACTIONS[props.name].label}</button>
    </form>
  );
}

/** The buttons this user's role allows on this order; an ended order offers none. */
export function OrderActions(props: { order: OrderForButtons; session: ConsoleSession }) {
  const { order, session } = props;
  if (ENDED.has(order.status)) return <p class="muted">This order has ended ({order.status}); no commands remain.</p>;
  const allowed = (Object.keys(ORDER_ACTIONS) as OrderActionName[]).filter((n) => mayPerform(session.user.role, ORDER_ACTIONS[n].command));
  if (allowed.length === 0) return <p class="muted">Your role ({session.user.role}) has no commands on an order.</p>;
  const open = order.lines.filter((l) => l.closeStatus === 'N');
  const form = (name: OrderActionName, children?: Child) =>
    allowed.includes(name) ? <ActionForm order={order} name={name} session={session}>{children}</ActionForm> : '';
  return (
    <div class="actions">
      {form('approve')}
      {form('reject', <input name="reason" placeholder="reason" required />)}
      {form('reserve')}
      {form(
        'deliver',
        <>
          {open.map((l) => {
            const remaining = dec(l.quantity).minus(l.deliveredQty);
            return (
              <label>
                line {l.lineNo} {l.productCode}{' '}
                <input class="qty" name={`qty_${l.lineNo}`} inputmode="decimal" value={remaining.gt(0) ? remaining.toString() : ''} />
                <br />
              </label>
            );
          })}
          <input name="carrier" placeholder="carrier (optional)" />
        </>,
      )}
      {form('invoice')}
      {form(
        'receipt',
        <>
          <input name="amount" placeholder="amount" inputmode="decimal" required />
          <select name="method">
            {['bank_transfer', 'cash', 'card', 'cheque', 'other'].map((m) => <option value={m}>{m}</option>)}
          </select>
        </>,
      )}
      {form('cancel', <input name="reason" placeholder="reason" required />)}
    </div>
  );
}
