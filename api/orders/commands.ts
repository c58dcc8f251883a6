import {
  allowanceUpdate,
  approveChangeUpdate,
  approveUpdate,
  cancelUpdate,
  changeOrderUpdate,
  closeLineUpdate,
  deliverUpdate,
  editDraftUpdate,
  invoiceUpdate,
  qualityCheckUpdate,
  recordReceiptUpdate,
  recordReturnUpdate,
  rejectChangeUpdate,
  rejectUpdate,
  retryReservationUpdate,
  shippingNoticeUpdate,
} from '../../workflows/sales-order/definitions.js';
import { orderCommand } from '../commands/order-command.js';
import { EditDraftBody, resolveDraft } from './drafts.js';
import {
  AllowanceBody,
  ApproveChangeBody,
  ChangeBody,
  ChangeResult,
  RejectChangeBody,
  resolveChange,
  ReturnBody,
  ReturnResult,
  VersionParam,
} from './changes.js';
import {
  CancelBody,
  CloseLineBody,
  CommandResult,
  DeliverBody,
  DeliveryResult,
  DraftResult,
  InvoiceResult,
  ReceiptResult,
  ShippingNoticeResult,
  EmptyBody,
  InvoiceBody,
  OrderNumberParam,
  QualityCheckBody,
  ReceiptBody,
  RejectBody,
  ShippingNoticeBody,
} from './schemas.js';

// Each answer is the update's own: what the command made and where the order stands (GET /orders/{number} has the rest).
const orderResult = { schema: CommandResult, description: 'The command was carried out: where the order now stands' };
const made = (schema: typeof CommandResult, what: string) => ({ schema, description: `Carried out: ${what}, and where the order now stands` });
const changeResult = (description: string) => ({ schema: ChangeResult, description });
const returnResult = { schema: ReturnResult, description: 'Recorded' };
const params = OrderNumberParam;

/** Every command on one order, one row each (api/commands/order-command.ts builds its route and handler). */
export const ORDER_COMMANDS = [
  orderCommand({
    path: 'approve', summary: 'Approve (审核); the approval that completes the rules reserves stock',
    params, body: EmptyBody, errors: ['SELF_APPROVAL', 'DUPLICATE_APPROVAL', 'NO_APPROVAL_AUTHORITY', 'CREDIT_LIMIT_EXCEEDED'],
    requires: 'approve', update: approveUpdate, arg: ({ actor }) => actor, response: orderResult,
  }),
  orderCommand({
    path: 'reject', summary: 'Reject the order with a reason; it ends',
    params, body: RejectBody, errors: ['SELF_APPROVAL', 'NO_APPROVAL_AUTHORITY'],
    requires: 'reject', update: rejectUpdate, arg: ({ actor, input }) => ({ ...actor, ...input }), response: orderResult,
  }),
  // 草稿: priced as on order entry before the workflow sees it; a rejected order's ended workflow starts again for it.
  orderCommand({
    path: 'draft', summary: 'Edit the draft (草稿) before approval, or revise a rejected order and submit it again; the checks run again',
    params, body: EditDraftBody, errors: ['FORBIDDEN', 'APPROVAL_STARTED', 'UNKNOWN_PRODUCT', 'UNKNOWN_WAREHOUSE', 'CUSTOMER_BLOCKED'],
    requires: 'editDraft', update: editDraftUpdate, reopens: 'Rejected',
    arg: async ({ actor, input, params: p, deps }) => ({ ...actor, ...(await resolveDraft(deps, p.number, input)) }),
    response: made(DraftResult, 'the revision'),
  }),
  orderCommand({
    path: 'reserve', summary: 'Reserve back-ordered quantities from stock that has arrived',
    params, body: EmptyBody, errors: [],
    requires: 'reserveStock', update: retryReservationUpdate, arg: ({ actor }) => actor, response: orderResult,
  }),
  orderCommand({
    path: 'close-line', summary: 'Close a line by hand (指定结束): the remainder is cancelled, its reservation released',
    params, body: CloseLineBody, errors: [],
    requires: 'changeOrder', update: closeLineUpdate, arg: ({ actor, input }) => ({ ...actor, ...input }), response: orderResult,
  }),
  orderCommand({
    path: 'shipping-notices', summary: 'Issue a shipping notice (出货通知单); no stock effect',
    params, body: ShippingNoticeBody, errors: ['OVER_DELIVERY'],
    requires: 'issueShippingNotice', update: shippingNoticeUpdate,
    arg: ({ actor, input }) => ({ ...actor, ...input }), response: made(ShippingNoticeResult, "the shipping notice's number"),
  }),
  orderCommand({
    path: 'quality-checks', summary: 'Record the quality re-check (出货复核) of a shipping notice',
    params, body: QualityCheckBody, errors: [],
    requires: 'issueShippingNotice', update: qualityCheckUpdate,
    arg: ({ actor, input }) => ({ ...actor, ...input }), response: orderResult,
  }),
  orderCommand({
    path: 'deliver', summary: 'Issue a delivery note (销货单)',
    params, body: DeliverBody, errors: ['OVER_DELIVERY', 'INSUFFICIENT_STOCK', 'QUALITY_CHECK_REQUIRED', 'DEPOSIT_NOT_RECEIVED', 'CREDIT_LIMIT_EXCEEDED', 'UNKNOWN_WAREHOUSE', 'EXCHANGE_RATE_MISSING'],
    requires: 'deliver', update: deliverUpdate, arg: ({ actor, input }) => ({ ...actor, ...input }),
    response: made(DeliveryResult, "the delivery note's number"),
  }),
  orderCommand({
    path: 'invoice', summary: 'Invoice what was delivered and not yet invoiced: all of it, or the chosen lines and quantities (部分开票)',
    params, body: InvoiceBody, errors: ['NOTHING_TO_INVOICE', 'OVER_INVOICE', 'BILLED_TO_HEAD_OFFICE', 'UNKNOWN_CUSTOMER', 'EXCHANGE_RATE_MISSING'],
    requires: 'invoice', update: invoiceUpdate, arg: ({ actor, input }) => ({ ...actor, ...input }),
    response: made(InvoiceResult, "the invoice's number, gross and due date"),
  }),
  orderCommand({
    path: 'receipts', summary: 'Record a receipt (收款单) and match it to the invoices',
    params, body: ReceiptBody, errors: ['OVER_PAYMENT', 'UNKNOWN_CUSTOMER', 'EXCHANGE_RATE_MISSING'],
    requires: 'recordReceipt', update: recordReceiptUpdate,
    arg: ({ actor, input }) => ({ ...actor, ...input }), response: made(ReceiptResult, "the receipt's number and what it paid"),
  }),
  orderCommand({
    path: 'cancel', summary: 'Cancel the order, releasing its reservations',
    params, body: CancelBody, errors: [],
    requires: 'cancelOrder', update: cancelUpdate, arg: ({ actor, input }) => ({ ...actor, ...input }), response: orderResult,
  }),
  // 订单变更单: new lines are priced as on order entry before the workflow sees them.
  orderCommand({
    path: 'changes', tags: ['Order changes'], summary: 'Change an approved order (订单变更单); applies at once or waits for approval',
    params, body: ChangeBody, errors: ['CHANGE_PENDING', 'CHANGE_LIMIT_REACHED', 'NOTHING_CHANGED', 'QUANTITY_BELOW_DELIVERED', 'PRICE_LOCKED', 'UNKNOWN_PRODUCT', 'UNKNOWN_WAREHOUSE', 'CREDIT_LIMIT_EXCEEDED'],
    requires: 'changeOrder', update: changeOrderUpdate,
    arg: async ({ actor, input, params: p, deps }) => ({ ...actor, reason: input.reason, lines: await resolveChange(deps, p.number, input) }),
    response: changeResult('Recorded: applied, or waiting for approval'),
  }),
  orderCommand({
    path: 'changes/{version}/approve', tags: ['Order changes'], summary: 'Approve a change that waits; the approval completing the rules applies it',
    params: VersionParam, body: ApproveChangeBody, errors: ['SELF_APPROVAL', 'DUPLICATE_APPROVAL', 'NO_APPROVAL_AUTHORITY', 'CONFLICT'],
    requires: 'approve', update: approveChangeUpdate,
    arg: ({ actor, params: p }) => ({ ...actor, version: Number(p.version) }), response: changeResult('Approved'),
  }),
  orderCommand({
    path: 'changes/{version}/reject', tags: ['Order changes'], summary: 'Reject a change that waits; the order stays exactly as it was',
    params: VersionParam, body: RejectChangeBody, errors: ['SELF_APPROVAL', 'NO_APPROVAL_AUTHORITY', 'CONFLICT'],
    requires: 'reject', update: rejectChangeUpdate,
    arg: ({ actor, input, params: p }) => ({ ...actor, version: Number(p.version), reason: input.reason }), response: changeResult('Rejected'),
  }),
  // 销退 and 折让 may come after the order completed (paid and delivered): they reopen its workflow.
  orderCommand({
    path: 'returns', tags: ['Returns'], summary: 'Record a return (销退) against a delivery note; its invoiced part becomes a credit note',
    params, body: ReturnBody, errors: ['OVER_RETURN', 'UNKNOWN_WAREHOUSE'],
    requires: 'recordReturn', update: recordReturnUpdate, reopens: 'Completed',
    arg: ({ actor, input, key }) => ({ ...actor, ...input, ...(key ? { requestKey: key } : {}) }), response: returnResult,
  }),
  orderCommand({
    path: 'allowances', tags: ['Returns'], summary: 'Grant an allowance (折让): a credit note for part of what was invoiced, no goods move',
    params, body: AllowanceBody, errors: ['OVER_ALLOWANCE'],
    requires: 'grantAllowance', update: allowanceUpdate, reopens: 'Completed',
    arg: ({ actor, input, key }) => ({ ...actor, ...input, ...(key ? { requestKey: key } : {}) }), response: returnResult,
  }),
];
