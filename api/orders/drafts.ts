import type { z } from '@hono/zod-openapi';
import { businessDate } from '../../domain/calendar.js';
import { DomainError } from '../../domain/errors.js';
import type { EditDraftCommand } from '../../workflows/sales-order/definitions.js';
import { priceOrder, type OrderServiceDeps } from './create-order.js';
import { CreateOrderBody } from './schemas.js';

/**
 * 草稿: the body of an edit is the order as it should now read, everything a new
 * order takes but its customer (an order for someone else is a new order). Derived
 * from CreateOrderBody so a header field added to orders is editable as well.
 */
export const EditDraftBody = CreateOrderBody.omit({ customerCode: true }).strict().openapi('EditDraft', {
  description: "The whole order as it should now read: its lines replace the draft's (numbered again from 1), each priced as on order entry",
});

/** The edit priced exactly as a new order is priced on the day of the edit (a date left out: a week from that day). */
export async function resolveDraft(deps: OrderServiceDeps, number: string, input: z.infer<typeof EditDraftBody>): Promise<Pick<EditDraftCommand, 'draft' | 'store'>> {
  const [order] = await deps.sql<{ customer_code: string; salesperson: string }[]>`
    SELECT c.code AS customer_code, o.salesperson FROM sales_orders o JOIN customers c ON c.id = o.customer_id WHERE o.number = ${number}`;
  if (!order) throw new DomainError('NOT_FOUND', `order ${number} does not exist`, 'number');
  const today = businessDate(deps.now?.() ?? new Date(), deps.timeZone);
  // The sale stays credited to its salesperson unless the edit names another.
  const { prepared, billing, header, shortfallPolicy, rows, lines } = await priceOrder(deps.sql, { ...input, customerCode: order.customer_code }, today, order.salesperson);
  return {
    draft: { lines, shortfallPolicy, invoiceMode: billing.invoiceMode, depositRequired: billing.depositRequired },
    store: { totals: prepared.totals, lines: rows, header },
  };
}
