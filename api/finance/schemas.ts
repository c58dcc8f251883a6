import { z } from '@hono/zod-openapi';
import { PAYMENT_STEPS, STUCK_PAYMENT_SORTS } from '../../db/stuck-payments.js';
import { Code, DocumentNumber, IsoDate, PositiveMoney, Reason, SingleLine } from '../schemas.js';

const Method = z.enum(['cash', 'bank_transfer', 'card', 'cheque', 'other']);

export const PayerReceiptBody = z
  .object({
    payerCode: Code.openapi({ example: 'C0001', description: 'The paying customer (the head office for its branches)' }),
    amount: PositiveMoney,
    method: Method,
    receivedOn: IsoDate.optional(),
    reference: SingleLine(100, 0).optional(),
    allocations: z
      .array(z.object({ invoiceNumber: DocumentNumber('INV-20261123-0001'), amount: PositiveMoney }).strict())
      .min(1)
      .max(500)
      .optional()
      .openapi({ description: 'Chosen matching; omit for oldest due first' }),
    writeOffDifference: z.boolean().optional().openapi({ description: 'Write off a difference left open, within the tolerance' }),
  })
  .strict()
  .openapi('PayerReceipt');

export const MonthlyInvoiceBody = z
  .object({
    customerCode: Code,
    period: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month as YYYY-MM'),
  })
  .strict()
  .openapi('MonthlyInvoiceRequest');

export const WriteOffRequestBody = z
  .object({ reason: Reason.openapi({ example: 'customer insolvent, liquidation closed' }) })
  .strict()
  .openapi('BadDebtWriteOffRequest');

export const WriteOffRejectBody = z.object({ reason: Reason }).strict().openapi('BadDebtWriteOffRejection');

export const WriteOffRequestView = z
  .object({
    id: z.number(),
    orderNumber: z.string(),
    status: z.enum(['pending', 'approving', 'approved', 'rejected']),
    amount: z.string().openapi({ description: 'What was open on the order when it was asked for; an approval writes off exactly this' }),
    currency: z.string(),
    reason: z.string(),
    requestedBy: z.string(),
    requestedAt: z.string(),
    decidedBy: z.string().nullable(),
    decidedAt: z.string().nullable(),
    rejectReason: z.string().nullable(),
    writtenOff: z.array(z.object({ invoice: z.string(), amount: z.string() })).nullable(),
  })
  .openapi('BadDebtWriteOffRequestView');

export const BankNoticeBody = z
  .object({ noticeId: SingleLine(100), amount: PositiveMoney, receivedOn: IsoDate.optional(), method: Method.optional() })
  .strict()
  .openapi('BankPaymentNotice');

const Step = z.enum(PAYMENT_STEPS).openapi({
  description: 'awaiting_deposit: 订金 not received; receipt_to_match: a receipt of the payer waits to be matched (核销); overdue; awaiting_payment: not yet due',
});

export const StuckPaymentQuery = z.object({
  asOf: IsoDate.optional().openapi({ description: 'the business date days overdue count to (default today)' }),
  customerCode: Code.optional().openapi({ description: 'orders of this customer, or paid by it as head office' }),
  step: Step.optional(),
  minDaysOverdue: z.coerce.number().int().min(1).max(100_000).optional(),
  sort: z.enum(STUCK_PAYMENT_SORTS).default('oldestDueOn').openapi({ description: 'oldest due first by default; -amountDue: largest first' }),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
  format: z.enum(['json', 'csv']).default('json').openapi({ description: 'csv: every matching order as a CSV file (paging ignored)' }),
});

export const StuckPaymentList = z
  .object({
    asOf: z.string(),
    total: z.number().int(),
    totals: z.object({ amountDue: z.string().openapi({ description: 'In the base currency, as aging counts it: an order in another currency by its open invoices at their own rates' }), currency: z.string() }),
    items: z.array(
      z.object({
        orderNumber: z.string(),
        orderStatus: z.string(),
        customerCode: z.string(),
        customerName: z.string(),
        payerCode: z.string(),
        payerName: z.string(),
        currency: z.string(),
        amountDue: z.string(),
        oldestDueOn: z.string().nullable(),
        daysOverdue: z.number().int(),
        step: Step,
        remindersSent: z.number().int(),
        unmatchedReceipts: z.string(),
        waitingAt: z.string(),
        invoices: z.array(
          z.object({ invoice: z.string(), dueOn: z.string(), amountDue: z.string(), daysOverdue: z.number().int(), remindersSent: z.number().int() }),
        ),
      }),
    ),
  })
  .openapi('StuckPayments');

export const AgingReport = z
  .object({
    asOf: z.string(),
    customers: z.array(
      z.object({
        customerCode: z.string(),
        customerName: z.string(),
        current: z.string(),
        days1to30: z.string(),
        days31to60: z.string(),
        days61to90: z.string(),
        over90: z.string(),
        total: z.string(),
        documentOpen: z.array(z.object({ currency: z.string(), open: z.string() })).openapi({ description: 'The same open receivables in each document currency' }),
      }),
    ),
  })
  .openapi('Aging');

export const StatementReport = z
  .object({
    customerCode: z.string(),
    customerName: z.string(),
    currency: z.string().openapi({ description: 'The base currency every amount and balance is in' }),
    from: z.string(),
    to: z.string(),
    openingBalance: z.string(),
    lines: z.array(
      z.object({
        date: z.string(),
        kind: z.string(),
        document: z.string().nullable(),
        orderNumber: z.string().nullable(),
        currency: z.string(),
        documentAmount: z.string(),
        fxRate: z.string(),
        amount: z.string(),
        balance: z.string(),
      }),
    ),
    totals: z.object({ invoices: z.string(), creditNotes: z.string(), receipts: z.string(), writeOffs: z.string(), refunds: z.string(), exchangeDifferences: z.string() }),
    closingBalance: z.string(),
  })
  .openapi('Statement');
