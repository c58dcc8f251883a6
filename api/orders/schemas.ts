import { z } from '@hono/zod-openapi';
import { PaymentTermsFields } from '../../contracts/master-data.js';
import { NonNegativeQuantity } from '../../contracts/numbers.js';
import { Code, DocumentNumber, IsoDate, LineNo, Money, PositiveMoney, Price, Quantity, Rate, Reason, SingleLine } from '../schemas.js';

/** The header fields (表头) of an order: on entry, and meant the same on an edit of a draft. */
const OrderHeaderFields = {
  shipTo: SingleLine(100)
    .optional()
    .openapi({ description: "送货地址: the label of one of the customer's delivery addresses (GET /customers/{code}), e.g. \"总部\"; omitted: its default. The order keeps a copy" }),
  contact: SingleLine(100)
    .optional()
    .openapi({ description: "联系人: the name of one of the customer's contacts; omitted: the contact the address carries" }),
  salesperson: SingleLine(64)
    .optional()
    .openapi({ description: '业务员: an active user who takes orders; omitted: the signed-in user who enters the order', example: 'clerk.li' }),
  department: SingleLine(60).optional().openapi({ description: '部门: free text, at most 60 characters', example: '华东销售部' }),
  depositRatio: Rate(1, 'a ratio between 0 and 1, e.g. "0.3"')
    .optional()
    .openapi({ description: "订金比率: share of the gross paid before release; neither this nor depositAmount: the customer's ratio" }),
  depositAmount: Money.optional().openapi({ description: '订金金额: the deposit as an amount, at most the gross; not together with depositRatio', example: '100.00' }),
  paymentTerms: z
    .object(PaymentTermsFields)
    .strict()
    .optional()
    .openapi({ description: "收款条件 agreed for this order: its invoices fall due by these instead of the payer's", example: { settlementTerms: 'net', settlementDays: 45 } }),
};

export const CreateOrderBody = z
  .object({
    customerCode: Code.openapi({ example: 'C0001' }),
    shortfallPolicy: z
      .enum(['block', 'backorder'])
      .optional()
      .openapi({ description: 'A stock shortfall at approval blocks the approval (default) or reserves what exists and back-orders the rest' }),
    lines: z
      .array(
        z
          .object({
            productCode: Code.openapi({ example: 'P0001' }),
            warehouseCode: Code.openapi({ example: 'WH-SH' }),
            quantity: Quantity,
            unitPrice: Price.optional().openapi({ description: "Omit to take the price from the customer's price strategies" }),
            expectedDeliveryDate: IsoDate.optional().openapi({ description: '预交货日; defaults to the order date plus 7 days' }),
          })
          .strict(),
      )
      .min(1, 'an order needs at least one line')
      .max(500),
    ...OrderHeaderFields,
  })
  .strict()
  .openapi('CreateOrder');

const DeliveredQty = NonNegativeQuantity.openapi({ example: '4' });

export const OpeningOrderBody = CreateOrderBody.extend({
  // The admin who loads it approves it; a name typed into the body would let anyone claim anyone's approval.
  approvedBy: z
    .unknown()
    .refine((v) => v === undefined, 'not accepted: the approver of an opening order is the signed-in user who loads it')
    .optional()
    .openapi({ description: 'Not accepted: the signed-in admin who loads the order is its approver' }),
  lines: z
    .array(
      CreateOrderBody.shape.lines.element.extend({
        deliveredQty: DeliveredQty.openapi({ description: 'Already delivered (and settled) in the old system' }),
      }),
    )
    .min(1, 'an order needs at least one line')
    .max(500),
})
  .strict()
  .openapi('OpeningOrder');

export const OpeningImportResult = z
  .object({
    orders: z.array(
      z.object({
        orderRef: z.string().openapi({ description: "The old system's order number, as in the file" }),
        orderNumber: z.string(),
        created: z.boolean().openapi({ description: 'false: loaded by an earlier import, left as it is' }),
        lines: z.number(),
      }),
    ),
    created: z.number(),
    alreadyLoaded: z.number(),
  })
  .openapi('OpeningOrderImport');

export const DeliverBody = z
  .object({
    lines: z
      .array(
        z
          .object({
            lineNo: LineNo,
            quantity: Quantity.optional(),
            batches: z
              .array(z.object({ batchNo: SingleLine(60), quantity: Quantity }).strict())
              .min(1)
              .max(50)
              .optional()
              .openapi({
                description:
                  'Batch-tracked products: which batches (批次) the line takes, adding up to its quantity. Omit for FEFO (first expiry, first out)',
                example: [{ batchNo: 'B-2026-01', quantity: '4' }],
              }),
          })
          .strict(),
      )
      .max(500)
      .optional()
      .openapi({ description: 'Omit to deliver everything still open (or everything the shipping notice plans)' }),
    noticeNumber: DocumentNumber('SN-20261123-0001').optional().openapi({ description: 'Deliver this shipping notice (出货通知单)' }),
    carrier: SingleLine(100, 0).optional(),
    trackingNumber: SingleLine(100, 0).optional(),
  })
  .strict()
  .openapi('Deliver');

export const ReceiptBody = z
  .object({
    amount: PositiveMoney,
    method: z.enum(['cash', 'bank_transfer', 'card', 'cheque', 'other']),
    receivedOn: IsoDate.optional(),
    reference: SingleLine(100, 0).optional(),
    writeOffDifference: z.boolean().optional().openapi({ description: 'Write off a difference left open, within the tolerance' }),
  })
  .strict()
  .openapi('Receipt');

export const RejectBody = z.object({ reason: Reason }).strict().openapi('Reject');

export const CloseLineBody = z.object({ lineNo: LineNo }).strict().openapi('CloseLine');

export const ShippingNoticeBody = z
  .object({
    lines: z
      .array(z.object({ lineNo: LineNo, quantity: Quantity.optional() }).strict())
      .max(500)
      .optional()
      .openapi({ description: 'Omit to plan every open line; a line without quantity plans what is still undelivered' }),
    requiresQualityCheck: z.boolean().optional().openapi({ description: 'Delivery waits for a passed quality re-check (出货复核)' }),
  })
  .strict()
  .openapi('ShippingNotice');

export const QualityCheckBody = z
  .object({ noticeNumber: DocumentNumber('SN-20261123-0001'), result: z.enum(['pass', 'fail']), checkedOn: IsoDate.optional() })
  .strict()
  .openapi('QualityCheck');

export const CancelBody = z.object({ reason: Reason }).strict().openapi('Cancel');

export const InvoiceBody = z
  .object({
    lines: z
      .array(z.object({ lineNo: LineNo, quantity: Quantity }).strict())
      .min(1, 'choose at least one line, or leave lines out to invoice everything')
      .max(500)
      .optional()
      .openapi({
        description: '部分开票: the lines and quantities to invoice, each at most what the line has delivered and not yet invoiced. Omit to invoice everything delivered and not yet invoiced',
        example: [{ lineNo: 1, quantity: '2' }],
      }),
  })
  .strict()
  .openapi('Invoice');

export const EmptyBody = z.object({}).strict().openapi('NoInput');

const Totals = z.object({ net: z.string(), tax: z.string(), gross: z.string() });

export const OrderLineView = z.object({
  lineNo: z.number(),
  productCode: z.string(),
  warehouseCode: z.string(),
  quantity: z.string(),
  unitPrice: z.string(),
  taxRate: z.string(),
  reservedQty: z.string(),
  deliveredQty: z.string(),
  invoicedQty: z.string(),
  closeStatus: z.enum(['N', 'Y', 'y']),
  expectedDeliveryDate: z.string().optional(),
  overDeliveryRate: z.string(),
});

export const LiveOrder = z
  .object({
    orderNumber: z.string(),
    customerCode: z.string(),
    currency: z.string(),
    createdBy: z.string(),
    status: z.string(),
    waitingFor: z.string(),
    lines: z.array(OrderLineView),
    totals: Totals,
    invoicedTotal: z.string(),
    receivedTotal: z.string(),
    amountDue: z.string(),
    approvedBy: z.string().optional(),
    deliveryNotes: z.array(z.string()),
    invoices: z.array(z.string()),
    receipts: z.array(z.string()),
  })
  .passthrough()
  .openapi('LiveOrder');

const OrderHeaderView = z
  .object({
    shipTo: z
      .object({ label: z.string().nullable(), address: z.string().nullable(), contact: z.string().nullable(), phone: z.string().nullable() })
      .openapi({ description: 'A copy of the address and contact as they were when the order was saved' }),
    salesperson: z.string().nullable(),
    department: z.string().nullable(),
    depositRatio: z.string().nullable().openapi({ description: "The order's own deposit ratio, if it gave one" }),
    depositAmount: z.string().nullable().openapi({ description: "The order's own deposit amount, if it gave one" }),
    depositRequired: z.string().openapi({ description: '订金: what must be received before release' }),
    paymentTerms: z
      .object({ settlementTerms: z.string(), settlementDays: z.number().int() })
      .nullable()
      .openapi({ description: "收款条件 agreed for this order; null: the payer's" }),
  })
  .openapi('OrderHeader');

export const OrderDocumentsSchema = z
  .object({
    number: z.string(),
    customerCode: z.string(),
    customerName: z.string(),
    status: z.string(),
    currency: z.string(),
    createdBy: z.string(),
    approvedBy: z.string().nullable(),
    createdAt: z.string(),
    header: OrderHeaderView,
    totals: Totals,
    lines: z.array(
      z
        .object({
          lineNo: z.number(),
          productCode: z.string(),
          quantity: z.string(),
          unitPrice: z.string(),
          priceRule: z.enum(['manual', 'customer_price', 'grade_discount', 'quantity_tier', 'list_price']),
          belowFloor: z.boolean().openapi({ description: 'Under the price floor: approval needed' }),
        })
        .passthrough(),
    ),
    checks: z.array(
      z.object({
        code: z.string(),
        passed: z.boolean(),
        message: z.string(),
        lineNo: z.number().optional(),
        details: z.record(z.string(), z.string()).optional(),
        warning: z.boolean().optional().openapi({ description: 'A breach the credit settings only warn about (no extra approval, nothing refused)' }),
      }),
    ).openapi({ description: 'Checks before approval, then any credit warnings from delivery or invoicing (details.point says where)' }),
    deliveryNotes: z.array(z.object({ number: z.string() }).passthrough()),
    invoices: z.array(z.object({ number: z.string(), gross: z.string(), dueOn: z.string() }).passthrough()),
    receipts: z.array(z.object({ number: z.string(), amount: z.string() }).passthrough()),
  })
  .openapi('OrderDocuments');

export const OrderResponse = z
  .object({
    order: OrderDocumentsSchema,
    live: LiveOrder.nullable().openapi({ description: 'The workflow state (null if the workflow cannot be reached)' }),
    workflowId: z.string(),
  })
  .openapi('Order');

export const OrderAtVersion = z
  .object({
    number: z.string(),
    version: z.string(),
    changeStatus: z.enum(['original', 'applied', 'rejected', 'pending_approval']),
    totals: Totals,
    lines: z.array(z.object({ lineNo: z.number(), productCode: z.string(), quantity: z.string(), unitPrice: z.string() }).passthrough()),
  })
  .openapi('OrderAtVersion');

export const ORDER_NOW_EXAMPLE = {
  orderNumber: 'SO-20261123-0001',
  status: 'Delivered',
  waitingFor: 'invoice',
  currency: 'CNY',
  gross: '226.00',
  amountDue: '0.00',
};

/**
 * Where the order stands after a command, and nothing more: no lines, no documents. The whole order is
 * GET /orders/{number}; a command answers with what it made and this.
 */
export const OrderNow = z
  .object({
    orderNumber: z.string(),
    status: z.enum(['Unapproved', 'Approved', 'PartiallyDelivered', 'Delivered', 'Completed', 'Cancelled', 'Rejected']),
    waitingFor: z.enum(['approval', 'changeApproval', 'deposit', 'delivery', 'invoice', 'payment', 'nothing']),
    currency: z.string(),
    gross: z.string().openapi({ description: "The order's gross (含税金额)" }),
    amountDue: z.string().openapi({ description: 'Invoiced and not yet received' }),
    pendingApprovals: z
      .array(z.object({ ruleId: z.number(), role: z.string(), reason: z.string() }))
      .optional()
      .openapi({ description: 'Only while the order awaits approval: the approvals still missing, each with its role and why' }),
    unreserved: z.string().optional().openapi({ description: 'Only when an approved order has open quantity not reserved (back-ordered)' }),
  })
  .strict()
  .openapi('OrderNow', { example: ORDER_NOW_EXAMPLE });

/** A command's answer: what it made (document numbers, amounts; none for a decision) and where the order now stands. */
const commandResult = <Made extends z.ZodRawShape>(name: string, made: Made, example: Record<string, unknown>) =>
  z
    .object({ ...made, order: OrderNow })
    .strict()
    .openapi(name, { example: { ...example, order: ORDER_NOW_EXAMPLE } });

export const CommandResult = commandResult('CommandResult', {}, {});
export const DraftResult = commandResult('DraftResult', { revision: z.number().int().openapi({ description: 'The draft\'s revision number' }) }, { revision: 2 });
export const ShippingNoticeResult = commandResult('ShippingNoticeResult', { shippingNotice: z.string() }, { shippingNotice: 'SN-20261123-0001' });
export const DeliveryResult = commandResult('DeliveryResult', { deliveryNote: z.string() }, { deliveryNote: 'DN-20261123-0001' });
export const InvoiceResult = commandResult(
  'InvoiceResult',
  { invoice: z.string(), gross: z.string().openapi({ description: "The invoice's gross, in the order's currency" }), dueOn: z.string() },
  { invoice: 'INV-20261123-0001', gross: '226.00', dueOn: '2026-12-23' },
);
export const ReceiptResult = commandResult(
  'ReceiptResult',
  {
    receipt: z.string(),
    allocations: z.array(z.object({ invoiceNumber: z.string(), amount: z.string() })).openapi({ description: 'What the receipt paid, invoice by invoice' }),
    advance: z.string().openapi({ description: "Left unallocated: the payer's advance (预收)" }),
  },
  { receipt: 'RC-20261123-0001', allocations: [{ invoiceNumber: 'INV-20261123-0001', amount: '226.00' }], advance: '0' },
);

export const OrderList = z
  .object({
    total: z.number(),
    items: z.array(
      z.object({ number: z.string(), customerCode: z.string(), status: z.string(), gross: z.string(), createdAt: z.string() }).passthrough(),
    ),
  })
  .openapi('OrderList');

export const OrderNumberParam = z.object({
  number: DocumentNumber('SO-20261123-0001'),
});
