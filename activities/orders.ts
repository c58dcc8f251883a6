import type { OrderStatus } from '../domain/order/index.js';
import { asActivity, lockOrder, once, type ActivityDeps } from './support.js';

export function orderActivities({ sql }: ActivityDeps) {
  /** Mirrors the workflow's status on the order document so the read side lists it. */
  async function setOrderStatus({ orderNumber, key, status }: { orderNumber: string; key: string; status: OrderStatus }): Promise<void> {
    await once(sql, key, async (tx) => {
      const order = await lockOrder(tx, orderNumber);
      if (status === 'Cancelled') {
        await tx`UPDATE sales_order_lines SET close_status = 'y' WHERE order_id = ${order.id} AND close_status = 'N'`;
      }
      await tx`UPDATE sales_orders SET status = ${status}, updated_at = now() WHERE id = ${order.id}`;
      return true;
    });
  }

  return { setOrderStatus: asActivity(setOrderStatus) };
}
