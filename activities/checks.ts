import type { OrderCheck } from '../domain/order/index.js';
import { DomainError } from '../domain/errors.js';
import type { Sql } from '../db/client.js';
import { asActivity, type ActivityDeps } from './support.js';

/**
 * Runs the checks before approval against the current master data and stores
 * the result on the order for the approver. Extend here: every check belongs in
 * this one list.
 */
export async function evaluateOrderChecks(sql: Sql, orderNumber: string): Promise<OrderCheck[]> {
  const [order] = await sql<{ id: string; approval_status: string; customer_code: string }[]>`
    SELECT o.id, c.approval_status, c.code AS customer_code
    FROM sales_orders o JOIN customers c ON c.id = o.customer_id WHERE o.number = ${orderNumber}`;
  if (!order) throw new DomainError('NOT_FOUND', `order ${orderNumber} does not exist`, 'orderNumber');
  const checks: OrderCheck[] = [
    {
      code: 'CUSTOMER_BLOCKED',
      passed: order.approval_status !== 'blocked',
      message: order.approval_status === 'blocked' ? `customer ${order.customer_code} is blocked` : `customer ${order.customer_code} is not blocked`,
    },
  ];
  await sql`UPDATE sales_orders SET checks = ${sql.json(checks as never)} WHERE id = ${order.id}`;
  return checks;
}

export function checkActivities({ sql }: ActivityDeps) {
  return { runOrderChecks: asActivity(({ orderNumber }: { orderNumber: string }) => evaluateOrderChecks(sql, orderNumber)) };
}
