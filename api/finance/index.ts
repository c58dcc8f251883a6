import { randomUUID } from 'node:crypto';
import { registerRefundRoutes } from './refunds.js';
import { registerWriteOffRoutes } from './write-offs.js';
import { registerInvoiceTaxDataRoutes } from './invoice-tax-data.js';
import { registerLedgerRoutes } from './ledger.js';
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { WorkflowFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure, WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { businessDate } from '../../domain/calendar.js';
import { DomainError, isDomainErrorCode } from '../../domain/errors.js';
import { aging, statement, type AgingRow } from '../../db/receivables.js';
import { registerExchangeRateRoutes } from './exchange-rates.js';
import { AGING_BUCKETS } from '../../domain/receivables.js';
import { stuckPayments, type StuckPaymentOrder } from '../../db/stuck-payments.js';
import { orderStatus } from '../../db/orders.js';
import {
  MONTHLY_INVOICING_WORKFLOW,
  monthlyInvoicingWorkflowId,
  PAYER_RECEIPT_WORKFLOW,
  payerReceiptWorkflowId,
  type MonthlyInvoice,
  type RecordedReceipt,
} from '../../workflows/finance/definitions.js';
import { bankPaymentNoticeSignal, orderWorkflowId } from '../../workflows/sales-order/definitions.js';
import type { OrderServiceDeps } from '../orders/create-order.js';
import { ActorHeader, Code, DocumentNumber, errorResponses, IsoDate } from '../schemas.js';
import { requires } from '../auth/authorize.js';
import { scopedKey } from '../commands/idempotency.js';
import { validationHook } from '../validation.js';
import { CSV_MAX_ROWS } from '../reports/index.js';
import { csvAttachment, toCsv } from '../reports/csv.js';
import {
  AgingReport,
  BankNoticeBody,
  MonthlyInvoiceBody,
  PayerReceiptBody,
  StatementReport,
  StuckPaymentList,
  StuckPaymentQuery,
} from './schemas.js';

const json = <T extends z.ZodTypeAny>(schema: T, description: string) => ({ content: { 'application/json': { schema } }, description });
const body = <T extends z.ZodTypeAny>(schema: T) => ({ content: { 'application/json': { schema } }, required: true as const });
const AnyResult = z.object({}).passthrough();
const NumberParam = z.object({ number: DocumentNumber() });
const Format = z.enum(['json', 'csv']).default('json').openapi({ description: 'csv: the report as a CSV file' });
const AsOf = z.object({ asOf: IsoDate.optional(), format: Format });
const CsvOrJson = <T extends z.ZodTypeAny>(schema: T, description: string) => ({
  content: { 'application/json': { schema }, 'text/csv': { schema: z.string() } },
  description: `${description}; ?format=csv gives text/csv`,
});

const STUCK_PAYMENT_COLUMNS = ['orderNumber', 'orderStatus', 'customerCode', 'customerName', 'payerCode', 'payerName', 'currency', 'amountDue', 'oldestDueOn', 'daysOverdue', 'step', 'remindersSent', 'unmatchedReceipts', 'waitingAt', 'invoices'] as const;
const AGING_COLUMNS = ['customerCode', 'customerName', ...AGING_BUCKETS, 'total', 'documentOpen'] as const;
const STATEMENT_COLUMNS = ['date', 'kind', 'document', 'orderNumber', 'currency', 'documentAmount', 'fxRate', 'amount', 'balance'] as const;
const agingCsvRow = (r: AgingRow) => ({ ...r, documentOpen: r.documentOpen.map((d) => `${d.currency} ${d.open}`).join('; ') });
const stuckPaymentCsvRow = (r: StuckPaymentOrder) => ({ ...r, invoices: r.invoices.map((i) => i.invoice).join(' ') });

const routes = {
  receipt: createRoute({
    method: 'post',
    path: '/receipts',
    tags: ['Finance'],
    summary: 'Record a payer receipt (收款单) and match it to the payer\'s invoices (核销); the rest is an advance (预收)',
    request: { headers: ActorHeader, body: body(PayerReceiptBody) },
    responses: {
      200: json(AnyResult, "The receipt and its allocations, with its currency, the rate of its date, its base amount and the allocations' exchange difference (汇兑损益)"),
      ...errorResponses,
    },
  }),
  monthly: createRoute({
    method: 'post',
    path: '/finance/monthly-invoices',
    tags: ['Finance'],
    summary: 'Invoice all uninvoiced deliveries of a customer up to the end of a month (月结)',
    request: { headers: ActorHeader, body: body(MonthlyInvoiceBody) },
    responses: { 200: json(AnyResult, 'The monthly invoice and its part per order'), ...errorResponses },
  }),
  bankNotice: createRoute({
    method: 'post',
    path: '/orders/{number}/bank-notices',
    tags: ['Finance'],
    summary: 'A bank notice of payment for an order: signalled, matched in the background',
    request: { params: NumberParam, body: body(BankNoticeBody) },
    responses: { 202: json(AnyResult, 'Accepted'), ...errorResponses },
  }),
  stuck: createRoute({
    method: 'get',
    path: '/finance/stuck-payments',
    tags: ['Finance'],
    summary: 'Stuck payments: one row per order whose money is not in (deposit, not yet due, overdue, receipt to match)',
    request: { query: StuckPaymentQuery },
    responses: {
      200: {
        description: 'One page of orders, oldest due first; ?format=csv gives text/csv',
        content: { 'application/json': { schema: StuckPaymentList }, 'text/csv': { schema: z.string() } },
      },
      ...errorResponses,
    },
  }),
  aging: createRoute({
    method: 'get',
    path: '/finance/aging',
    tags: ['Finance'],
    summary: 'Receivables aging (账龄分析) per payer',
    request: { query: AsOf },
    responses: { 200: CsvOrJson(AgingReport, 'Per payer'), ...errorResponses },
  }),
  statement: createRoute({
    method: 'get',
    path: '/finance/statement',
    tags: ['Finance'],
    summary: 'Customer statement (对账单): opening balance, entries, closing balance',
    request: {
      query: z
        .object({ customer: Code, from: IsoDate, to: IsoDate, format: Format })
        .refine((q) => q.from <= q.to, { message: 'the statement ends before it starts', path: ['to'] }),
    },
    responses: { 200: CsvOrJson(StatementReport, 'The statement'), ...errorResponses },
  }),
};

/** A finance workflow that failed on a business refusal, as the DomainError it was. */
function refusalOf(err: unknown): unknown {
  if (!(err instanceof WorkflowFailedError)) return err;
  let cause: unknown = err.cause;
  while (cause && !(cause instanceof ApplicationFailure)) cause = (cause as { cause?: unknown }).cause;
  if (!(cause instanceof ApplicationFailure)) return err;
  const [first] = (cause.details ?? []) as { field?: string | null }[];
  const { field, ...details } = first ?? {};
  return new DomainError(isDomainErrorCode(cause.type) ? cause.type : 'CONFLICT', cause.message, field ?? undefined, details);
}

export function financeRoutes(deps: OrderServiceDeps & { temporal: Client }) {
  const app = new OpenAPIHono({ defaultHook: validationHook });
  // Who may: the role matrix decides before any input is read.
  app.on('POST', '/receipts', requires('recordReceipt'));
  app.on('POST', '/orders/:number/bank-notices', requires('recordReceipt'));
  app.on('POST', '/finance/monthly-invoices', requires('invoice'));
  // The finance reads without a guard of their own; the books' reads and writes name theirs (readBooks, …), so a
  // refusal there names what was refused.
  app.on('GET', ['/finance/stuck-payments', '/finance/aging', '/finance/statement', '/finance/customer-credit', '/finance/exchange-rates'], requires('listStuckPayments'));
  const today = () => businessDate((deps.now ?? (() => new Date()))(), deps.timeZone);

  /** Runs a finance document's workflow once per id: a repeated request gets the first run's result. */
  async function run<T>(workflow: string, workflowId: string, input: unknown): Promise<T> {
    try {
      try {
        return await deps.temporal.workflow.execute<(i: unknown) => Promise<T>>(workflow, {
          taskQueue: deps.taskQueue,
          workflowId,
          workflowIdConflictPolicy: 'USE_EXISTING',
          workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
          args: [input],
        });
      } catch (err) {
        if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
        return (await deps.temporal.workflow.getHandle(workflowId).result()) as T;
      }
    } catch (err) {
      throw refusalOf(err);
    }
  }

  async function existingOrder(number: string) {
    if (!(await orderStatus(deps.sql, number))) throw new DomainError('NOT_FOUND', `order ${number} does not exist`, 'number');
  }

  app.openapi(routes.receipt, async (c) => {
    // Scoped by user: one user's key never finds another's receipt.
    const key = scopedKey(c) ?? randomUUID();
    const receipt = await run<RecordedReceipt>(PAYER_RECEIPT_WORKFLOW, payerReceiptWorkflowId(key), {
      ...c.req.valid('json'),
      key: `receipt/${key}`,
      recordedBy: c.get('user').name,
    });
    return c.json(receipt, 200);
  });

  app.openapi(routes.monthly, async (c) => {
    const { customerCode, period } = c.req.valid('json');
    const id = monthlyInvoicingWorkflowId(customerCode, period);
    const doc = await run<MonthlyInvoice>(MONTHLY_INVOICING_WORKFLOW, id, { customerCode, period, key: id, issuedBy: c.get('user').name });
    return c.json(doc, 200);
  });

  app.openapi(routes.bankNotice, async (c) => {
    const { number } = c.req.valid('param');
    await existingOrder(number);
    await deps.temporal.workflow.getHandle(orderWorkflowId(number)).signal(bankPaymentNoticeSignal, c.req.valid('json'));
    return c.json({ accepted: true }, 202);
  });

  app.openapi(routes.stuck, async (c) => {
    const { format, ...q } = c.req.valid('query');
    const asOf = q.asOf ?? today();
    if (format === 'csv') {
      const page = await stuckPayments(deps.sql, { ...q, asOf, limit: CSV_MAX_ROWS, offset: 0 });
      return c.body(toCsv(STUCK_PAYMENT_COLUMNS, page.items.map(stuckPaymentCsvRow)), 200, {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="stuck-payments-${asOf}.csv"`,
      }) as never;
    }
    return c.json({ asOf, ...(await stuckPayments(deps.sql, { ...q, asOf })) }, 200);
  });

  app.openapi(routes.aging, async (c) => {
    const q = c.req.valid('query');
    const asOf = q.asOf ?? today();
    const customers = await aging(deps.sql, asOf);
    if (q.format === 'csv') return c.body(toCsv(AGING_COLUMNS, customers.map(agingCsvRow)), 200, csvAttachment(`aging-${asOf}.csv`)) as never;
    return c.json({ asOf, customers }, 200);
  });

  app.openapi(routes.statement, async (c) => {
    const q = c.req.valid('query');
    const s = await statement(deps.sql, q.customer, q.from, q.to);
    if (q.format === 'csv') {
      // The opening and closing balances as rows of their own, so the file reads like the statement.
      const rows: Record<string, unknown>[] = [{ date: s.from, kind: 'opening', balance: s.openingBalance }, ...s.lines.map((l) => ({ ...l })), { date: s.to, kind: 'closing', balance: s.closingBalance }];
      return c.body(toCsv(STATEMENT_COLUMNS, rows), 200, csvAttachment(`statement-${s.customerCode}-${s.from}-${s.to}.csv`)) as never;
    }
    return c.json(s, 200);
  });

  registerRefundRoutes(app, deps, run);
  registerExchangeRateRoutes(app, deps);
  registerWriteOffRoutes(app, deps);
  registerInvoiceTaxDataRoutes(app, deps);
  registerLedgerRoutes(app, deps);
  return app;
}
