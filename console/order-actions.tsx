import { randomUUID } from 'node:crypto';
import type { Child } from 'hono/jsx';
import { mayPerform, type Command } from '../domain/authorization.js';
import { dec } from '../domain/decimal.js';
import type { OfferedCommand } from '../domain/order/available.js';
import { mayDecideWriteOff, type WriteOffAuthority } from '../domain/order/write-off.js';
import type { WriteOffRequestView } from '../db/write-off-requests.js';
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

/**
 * The buttons this user's role allows on this order, and of those the ones its state allows now (`offered`, from
 * the workflow's live state by the validators' own rules; without it, when the workflow does not answer, the
 * role decides alone and the API refuses what the state does not allow). An ended order offers none.
 */
export function OrderActions(props: { order: OrderForButtons; session: ConsoleSession; offered?: Set<OfferedCommand> | undefined }) {
  const { order, session, offered } = props;
  if (ENDED.has(order.status)) return <p class="muted">This order has ended ({order.status}); no commands remain.</p>;
  const byRole = (Object.keys(ORDER_ACTIONS) as OrderActionName[]).filter((n) => mayPerform(session.user.role, ORDER_ACTIONS[n].command));
  if (byRole.length === 0) return <p class="muted">Your role ({session.user.role}) has no commands on an order.</p>;
  const allowed = offered ? byRole.filter((n) => offered.has(n)) : byRole;
  if (allowed.length === 0) return <p class="muted">Nothing for you to do on this order now ({order.status}).</p>;
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

/** The checks before approval (an opening order's too): a failed one is shown for anyone to follow up. */
export function OrderChecks(props: { checks: { code: string; passed: boolean; message: string; warning?: boolean | undefined }[] }) {
  if (props.checks.length === 0) return <p class="muted">No checks recorded yet.</p>;
  return (
    <ul class="checks">
      {props.checks.map((c) => (
        <li class={c.passed ? 'passed' : 'failed'} data-check={c.code}>
          {c.passed ? 'passed' : c.warning ? 'warning' : 'FAILED'}: {c.message}
        </li>
      ))}
    </ul>
  );
}

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
  order: { number: string; status: string; invoices: unknown[] };
  requests: WriteOffRequestView[];
  authority: WriteOffAuthority | undefined;
  session: ConsoleSession;
}) {
  const { order, requests, authority, session } = props;
  const undecided = requests.some((r) => r.status === 'pending' || r.status === 'approving');
  const mayAsk = mayPerform(session.user.role, 'writeOff') && !ENDED.has(order.status) && order.invoices.length > 0 && !undecided;
  if (requests.length === 0 && !mayAsk) return <p class="muted">No bad-debt write-off requested.</p>;
  return (
    <div class="write-offs">
      {requests.length ? (
        <table>
          <thead><tr><th>#</th><th>status</th><th>amount</th><th>reason</th><th>asked by</th><th>decided by</th><th></th></tr></thead>
          <tbody>
            {requests.map((r) => (
              <tr data-write-off={r.id}>
                <td>{r.id}</td>
                <td>{r.status}</td>
                <td>{r.amount} {r.currency}</td>
                <td>{r.reason}</td>
                <td>{r.requestedBy}</td>
                <td>{r.decidedBy ?? ''}{r.rejectReason ? `: ${r.rejectReason}` : ''}</td>
                <td>
                  {mayDecideWriteOff(r, session.user, authority) ? (
                    <>
                      <WriteOffForm number={order.number} path={`/${r.id}/approve`} label="Approve write-off" session={session} />
                      <WriteOffForm number={order.number} path={`/${r.id}/reject`} label="Reject write-off" session={session}>
                        <input name="reason" placeholder="reason" required />
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
        <WriteOffForm number={order.number} path="" label="Request bad-debt write-off" session={session}>
          <input name="reason" placeholder="why it will never be paid" required />
        </WriteOffForm>
      ) : ''}
    </div>
  );
}
