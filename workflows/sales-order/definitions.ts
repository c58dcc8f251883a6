import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import type {
  AllowanceRequest,
  ChangeLineRequest,
  ReturnRequest,
  ApprovalRequirement,
  ApprovalRule,
  DeliveryRequestLine,
  DraftEdit,
  InvoiceIssued,
  InvoiceLineChoice,
  InvoiceLinePlan,
  NewSalesOrder,
  OrderCheck,
  OrderStatus,
  PaymentApplied,
  SalesOrderState,
} from '../../domain/order/index.js';
import type { ReceiptMethod } from '../../activities/receipts.js';
import type { Role } from '../../domain/authorization.js';
import type { ReviseDraftInput } from '../../activities/orders.js';

/** Everything a client needs to talk to a sales order workflow, kept beside it. */
export const SALES_ORDER_WORKFLOW = 'salesOrder';
export const orderWorkflowId = (orderNumber: string) => `order-${orderNumber}`;

export interface SalesOrderInput {
  order: NewSalesOrder;
  /** The full state when the order continues as new (a long-lived order's history is cut, nothing else). */
  state?: SalesOrderState;
  /** APPROVAL_REMINDER_AFTER / APPROVAL_ESCALATION_AFTER in milliseconds (tests use seconds). */
  approvalReminderAfterMs?: number;
  approvalEscalationAfterMs?: number;
  /** Continue as new once the history reaches this many events, besides when Temporal suggests it (tests force it). */
  continueAsNewAfterEvents?: number;
  /** The process version the run follows (ORDER_PROCESS_VERSION when started). */
  processVersion?: number;
  /**
   * The checks and approval rules as the API found them when it saved the order,
   * a moment before the start: the workflow derives its first approval
   * requirements from them instead of reading them again.
   */
  openingReview?: { checks: OrderCheck[]; rules: ApprovalRule[] };
}

/**
 * The order process's version, the one place where versions live. The API
 * starts every order with it in the input, and continue-as-new carries it, so a
 * run always knows the version it started with. Only version 2 runs today.
 *
 * How the next incompatible change (one that would make a running order's
 * history replay differently) rolls out: raise this to 3; put what 3 does
 * differently in one module, `workflows/sales-order/v3.ts`, chosen by
 * `input.processVersion` where the workflow wires its steps (not as comparisons
 * spread through the handlers); record the new shape's histories
 * (`npm run histories:samples`, named `*.v3.json`) beside the kept `*.v2.json`
 * ones, which test/workflow/replay.test.ts replays against the new code. Once no
 * version-2 order runs any more (a visibility query on the workflow type), its
 * module and histories go. (Worker Versioning would pin each run to the worker
 * build that started it instead; it needs the deployment to run several
 * builds side by side, which this project does not.)
 */
export const ORDER_PROCESS_VERSION = 2;

/** Defaults when the input names no durations: remind after 4 hours, escalate a day later. */
export const DEFAULT_APPROVAL_REMINDER_AFTER_MS = 4 * 3_600_000;
export const DEFAULT_APPROVAL_ESCALATION_AFTER_MS = 24 * 3_600_000;

export interface Actor {
  actor: string;
  /** The authenticated user's role; validators check it against domain/authorization.ts. */
  actorRole: Role;
}

export type ApproveCommand = Actor;
export interface RejectCommand extends Actor {
  reason: string;
}
export type RetryReservationCommand = Actor;
export interface CloseLineCommand extends Actor {
  lineNo: number;
}
export interface ShippingNoticeCommand extends Actor {
  lines?: DeliveryRequestLine[];
  requiresQualityCheck?: boolean;
}
export interface QualityCheckCommand extends Actor {
  noticeNumber: string;
  result: 'pass' | 'fail';
  checkedOn?: string;
}
export interface DeliverCommand extends Actor {
  lines?: DeliveryRequestLine[];
  /** Deliver this shipping notice (出货通知单); without it the delivery is direct. */
  noticeNumber?: string;
  carrier?: string;
  trackingNumber?: string;
}
export interface InvoiceCommand extends Actor {
  /** 部分开票: the lines and quantities to invoice; absent, everything delivered and not yet invoiced. */
  lines?: InvoiceLineChoice[];
}
export interface ReceiptCommand extends Actor {
  amount: string;
  method: ReceiptMethod;
  receivedOn?: string;
  reference?: string;
  /** Write off a difference left on the invoices paid, within the tolerance. */
  writeOffDifference?: boolean;
}
/** 坏账核销: a bad debt written off with a finance approver's approval. */
export interface WriteOffCommand extends Actor {
  approver: string;
  reason: string;
  /** The amount approved (the request's): a receipt booked since makes the write-off a 409, never a smaller one. */
  amount?: string;
}
/** A bank's notice of payment for this order: nobody waits on it; matched like a payer receipt. */
export interface BankPaymentNotice {
  noticeId: string;
  amount: string;
  receivedOn?: string;
  method?: ReceiptMethod;
}
/** An invoice issued outside the order's own handlers (monthly invoicing), told to the order. */
export interface InvoicedElsewhere {
  invoice: InvoiceIssued;
  lines: InvoiceLinePlan[];
}
export interface CancelCommand extends Actor {
  reason: string;
}

/**
 * 草稿: the order as the edit leaves it, priced by the API as on order entry: what the
 * order's state takes (draft) and the lines as Postgres stores them (store).
 */
export interface EditDraftCommand extends Actor {
  draft: DraftEdit;
  store: Pick<ReviseDraftInput, 'totals' | 'lines' | 'header'>;
}

/** 订单变更单: what changes, line by line; the API has resolved prices and products of new lines. */
export interface ChangeOrderCommand extends Actor {
  reason: string;
  lines: ChangeLineRequest[];
}
export interface DecideChangeCommand extends Actor {
  version: number;
}
export interface RejectChangeCommand extends DecideChangeCommand {
  reason: string;
}
export interface ChangeOutcome {
  /** 0001..9999 */
  version: string;
  status: 'applied' | 'pending_approval' | 'rejected';
  /** Why the change went back to approval. */
  reasons: string[];
  pendingApprovals: ApprovalRequirement[];
}
/**
 * The client's Idempotency-Key, when it sent one: a return may reopen a completed
 * order in a new run, where Temporal's update-id dedup does not reach, so the
 * step's own key comes from it.
 */
export interface RequestKey {
  requestKey?: string;
}
export type ReturnCommand = Actor & ReturnRequest & RequestKey;
export type AllowanceCommand = Actor & AllowanceRequest & RequestKey;
export interface ReturnMade {
  salesReturn: string;
  creditNote: string | null;
  creditGross: string;
  /** What the credit note left as the payer's credit (the order was already paid). */
  customerCredit: string;
}

export interface SalesOrderView extends SalesOrderState {
  amountDue: string;
  waitingFor: WaitingFor;
  /** While awaiting approval: the approvals still missing, each with the role it needs and why. */
  pendingApprovals: ApprovalRequirement[];
}

export type WaitingFor = 'approval' | 'changeApproval' | 'deposit' | 'delivery' | 'invoice' | 'payment' | 'nothing';

/**
 * Where the order stands after a command, and no more: an Update's result is written into the
 * order's history, so it carries no lines, documents or step counters. A client that wants the
 * whole order asks for it (the `state` query, GET /orders/:n).
 */
export interface OrderNow {
  orderNumber: string;
  status: OrderStatus;
  waitingFor: WaitingFor;
  currency: string;
  gross: string;
  amountDue: string;
  /** Only while awaiting approval: the approvals still missing. */
  pendingApprovals?: ApprovalRequirement[];
  /** Only when some open quantity of an approved order is not reserved (back-ordered). */
  unreserved?: string;
}

/** Every Update's answer: what the command made (its document numbers and amounts) and the order as it now stands. */
export type CommandOutcome<Made extends object = object> = Made & { order: OrderNow };
export type ReturnOutcome = CommandOutcome<ReturnMade>;

export const approveUpdate = defineUpdate<CommandOutcome, [ApproveCommand]>('approve');
export const rejectUpdate = defineUpdate<CommandOutcome, [RejectCommand]>('reject');
export const retryReservationUpdate = defineUpdate<CommandOutcome, [RetryReservationCommand]>('retryReservation');
export const closeLineUpdate = defineUpdate<CommandOutcome, [CloseLineCommand]>('closeLine');
export const shippingNoticeUpdate = defineUpdate<CommandOutcome<{ shippingNotice: string }>, [ShippingNoticeCommand]>('issueShippingNotice');
export const qualityCheckUpdate = defineUpdate<CommandOutcome, [QualityCheckCommand]>('recordQualityCheck');
export const deliverUpdate = defineUpdate<CommandOutcome<{ deliveryNote: string }>, [DeliverCommand]>('deliver');
export const invoiceUpdate = defineUpdate<CommandOutcome<{ invoice: string; gross: string; dueOn: string }>, [InvoiceCommand]>('invoice');
export const recordReceiptUpdate = defineUpdate<
  CommandOutcome<{ receipt: string; allocations: { invoiceNumber: string; amount: string }[]; advance: string }>,
  [ReceiptCommand]
>('recordReceipt');
export const cancelUpdate = defineUpdate<CommandOutcome, [CancelCommand]>('cancel');
export const writeOffUpdate = defineUpdate<CommandOutcome<{ writeOffs: { invoice: string; amount: string }[] }>, [WriteOffCommand]>('writeOff');
export const editDraftUpdate = defineUpdate<CommandOutcome<{ revision: number }>, [EditDraftCommand]>('editDraft');
export const changeOrderUpdate = defineUpdate<CommandOutcome<{ change: ChangeOutcome }>, [ChangeOrderCommand]>('changeOrder');
export const approveChangeUpdate = defineUpdate<CommandOutcome<{ change: ChangeOutcome }>, [DecideChangeCommand]>('approveChange');
export const rejectChangeUpdate = defineUpdate<CommandOutcome<{ change: ChangeOutcome }>, [RejectChangeCommand]>('rejectChange');
export const recordReturnUpdate = defineUpdate<ReturnOutcome, [ReturnCommand]>('recordReturn');
export const allowanceUpdate = defineUpdate<ReturnOutcome, [AllowanceCommand]>('grantAllowance');
/** Money a payer-level receipt put on this order's invoices (or a difference written off with it). */
export const paymentAppliedSignal = defineSignal<[PaymentApplied[]]>('paymentApplied');
export const invoicedSignal = defineSignal<[InvoicedElsewhere]>('invoiced');
export const bankPaymentNoticeSignal = defineSignal<[BankPaymentNotice]>('bankPaymentNotice');
export const orderStateQuery = defineQuery<SalesOrderView>('state');

/** Search attributes, so operators can list orders with visibility queries. */
export const OrderStatusKey = defineSearchAttributeKey('OrderStatus', SearchAttributeType.KEYWORD);
export const CustomerCodeKey = defineSearchAttributeKey('CustomerCode', SearchAttributeType.KEYWORD);
export const WaitingForKey = defineSearchAttributeKey('WaitingFor', SearchAttributeType.KEYWORD);
export const OrderAmountKey = defineSearchAttributeKey('OrderAmount', SearchAttributeType.DOUBLE);
export const AmountDueKey = defineSearchAttributeKey('AmountDue', SearchAttributeType.DOUBLE);
export const PaymentStateKey = defineSearchAttributeKey('PaymentState', SearchAttributeType.KEYWORD);
/** The earliest due instant of an open receivable. */
export const PaymentDueAtKey = defineSearchAttributeKey('PaymentDueAt', SearchAttributeType.DATETIME);

/** The earliest 预交货日 of the order's open lines. */
export const ExpectedDeliveryDateKey = defineSearchAttributeKey('ExpectedDeliveryDate', SearchAttributeType.DATETIME);

export const SEARCH_ATTRIBUTES = [
  OrderStatusKey,
  CustomerCodeKey,
  WaitingForKey,
  OrderAmountKey,
  AmountDueKey,
  PaymentStateKey,
  PaymentDueAtKey,
  ExpectedDeliveryDateKey,
];
