import {
  ActivityFailure,
  ApplicationFailure,
  allHandlersFinished,
  condition,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../../activities/index.js';
import { dec } from '../../domain/decimal.js';
import { DomainError } from '../../domain/errors.js';
import {
  amountDue,
  applyApproved,
  applyCancel,
  applyDelivery,
  applyInvoice,
  applyReceipt,
  checkApprove,
  checkCancel,
  checkReceipt,
  isSettled,
  newOrderState,
  planDelivery,
  planInvoice,
  type SalesOrderState,
} from '../../domain/sales-order.js';
import {
  AmountDueKey,
  approveUpdate,
  cancelUpdate,
  CustomerCodeKey,
  deliverUpdate,
  invoiceUpdate,
  OrderAmountKey,
  orderStateQuery,
  OrderStatusKey,
  PaymentStateKey,
  recordReceiptUpdate,
  WaitingForKey,
  type SalesOrderInput,
  type SalesOrderView,
  type WaitingFor,
} from './definitions.js';

const acts = proxyActivities<Activities>({
  startToCloseTimeout: '15s',
  retry: { initialInterval: '500ms', backoffCoefficient: 2, maximumInterval: '30s' },
});

/** A refusal from domain/ as the failure Temporal hands back to the caller. */
function refusal(err: DomainError): ApplicationFailure {
  return ApplicationFailure.create({
    message: err.message,
    type: err.code,
    nonRetryable: true,
    details: [{ field: err.field ?? null, ...(err.details ?? {}) }],
  });
}

function guard(check: () => void): void {
  try {
    check();
  } catch (err) {
    throw err instanceof DomainError ? refusal(err) : err;
  }
}

/** An activity's business refusal fails the command, not the order. */
function commandFailure(err: unknown): unknown {
  if (err instanceof ActivityFailure && err.cause instanceof ApplicationFailure) {
    return ApplicationFailure.create({
      message: err.cause.message,
      type: err.cause.type ?? 'UNAVAILABLE',
      nonRetryable: true,
      details: err.cause.details ?? [],
    });
  }
  if (err instanceof DomainError) return refusal(err);
  return err;
}

function waitingFor(state: SalesOrderState): WaitingFor {
  switch (state.status) {
    case 'Unapproved':
      return 'approval';
    case 'Approved':
    case 'PartiallyDelivered':
      return 'delivery';
    case 'Delivered':
      return state.lines.some((l) => dec(l.invoicedQty).lessThan(dec(l.deliveredQty))) ? 'invoice' : 'payment';
    default:
      return 'nothing';
  }
}

function view(state: SalesOrderState): SalesOrderView {
  return { ...state, amountDue: amountDue(state), waitingFor: waitingFor(state) };
}

function publish(state: SalesOrderState): void {
  const due = amountDue(state);
  upsertSearchAttributes([
    { key: OrderStatusKey, value: state.status },
    { key: CustomerCodeKey, value: state.customerCode },
    { key: WaitingForKey, value: waitingFor(state) },
    { key: OrderAmountKey, value: Number(state.totals.gross) },
    { key: AmountDueKey, value: Number(due) },
    { key: PaymentStateKey, value: dec(due).isZero() ? (state.invoices.length > 0 ? 'Paid' : 'NotInvoiced') : 'Open' },
  ]);
}

/**
 * One workflow per sales order (`order-<number>`): it holds the order's process
 * state and takes every command as an Update. Commands run one at a time; each is
 * checked by its validator before it enters history and checked again when it runs.
 */
export async function salesOrder(input: SalesOrderInput): Promise<SalesOrderView> {
  const state = newOrderState(input.order);
  const wf = workflowInfo().workflowId;
  let queue: Promise<unknown> = Promise.resolve();
  function serial<T>(command: () => Promise<T>): Promise<T> {
    const run = queue.then(async () => {
      try {
        return await command();
      } catch (err) {
        throw commandFailure(err);
      }
    });
    queue = run.catch(() => undefined);
    return run;
  }

  setHandler(orderStateQuery, () => view(state));

  setHandler(
    approveUpdate,
    ({ actor }) =>
      serial(async () => {
        checkApprove(state, actor);
        const reserved = await acts.reserveStock({ orderNumber: state.orderNumber, key: `${wf}/approve`, approvedBy: actor });
        applyApproved(state, actor, reserved);
        publish(state);
        return view(state);
      }),
    { validator: ({ actor }) => guard(() => checkApprove(state, actor)) },
  );

  setHandler(
    deliverUpdate,
    (cmd) =>
      serial(async () => {
        const lines = planDelivery(state, cmd.lines);
        const step = ++state.steps.delivery;
        const note = await acts.issueDeliveryNote({
          orderNumber: state.orderNumber,
          key: `${wf}/delivery/${step}`,
          deliveredBy: cmd.actor,
          lines,
          ...(cmd.carrier ? { carrier: cmd.carrier } : {}),
          ...(cmd.trackingNumber ? { trackingNumber: cmd.trackingNumber } : {}),
        });
        applyDelivery(state, note.number, note.lines);
        publish(state);
        return { deliveryNote: note.number, order: view(state) };
      }),
    { validator: (cmd) => guard(() => planDelivery(state, cmd.lines)) },
  );

  setHandler(
    invoiceUpdate,
    (cmd) =>
      serial(async () => {
        const lines = planInvoice(state);
        const step = ++state.steps.invoice;
        const invoice = await acts.issueInvoice({ orderNumber: state.orderNumber, key: `${wf}/invoice/${step}`, issuedBy: cmd.actor, lines });
        applyInvoice(state, invoice.number, lines, invoice.gross);
        publish(state);
        return { invoice: invoice.number, gross: invoice.gross, dueOn: invoice.dueOn, order: view(state) };
      }),
    { validator: (_cmd) => guard(() => planInvoice(state)) },
  );

  setHandler(
    recordReceiptUpdate,
    (cmd) =>
      serial(async () => {
        checkReceipt(state, cmd.amount);
        const step = ++state.steps.receipt;
        const receipt = await acts.recordReceipt({
          orderNumber: state.orderNumber,
          key: `${wf}/receipt/${step}`,
          recordedBy: cmd.actor,
          amount: cmd.amount,
          method: cmd.method,
          ...(cmd.receivedOn ? { receivedOn: cmd.receivedOn } : {}),
        });
        applyReceipt(state, receipt.number, receipt.amount);
        publish(state);
        return { receipt: receipt.number, allocations: receipt.allocations, order: view(state) };
      }),
    { validator: (cmd) => guard(() => checkReceipt(state, cmd.amount)) },
  );

  setHandler(
    cancelUpdate,
    ({ actor, reason }) =>
      serial(async () => {
        checkCancel(state);
        // Compensation: an approved order gives its reservations back first.
        if (state.status !== 'Unapproved') await acts.releaseStock({ orderNumber: state.orderNumber, key: `${wf}/cancel/release` });
        await acts.setOrderStatus({ orderNumber: state.orderNumber, key: `${wf}/cancel/status`, status: 'Cancelled' });
        applyCancel(state, actor, reason);
        publish(state);
        return view(state);
      }),
    { validator: (_cmd) => guard(() => checkCancel(state)) },
  );

  await condition(() => state.status === 'Cancelled' || isSettled(state));
  await condition(allHandlersFinished);
  if (state.status !== 'Cancelled') {
    await acts.setOrderStatus({ orderNumber: state.orderNumber, key: `${wf}/complete`, status: 'Completed' });
    state.status = 'Completed';
    publish(state);
  }
  return view(state);
}
