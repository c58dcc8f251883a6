import type { z } from '@hono/zod-openapi';
import { checkOpeningBalance } from '../../domain/order/index.js';
import { createOrder, type OrderServiceDeps } from './create-order.js';
import type { OpeningOrderBody } from './schemas.js';

export type OpeningOrderInput = z.infer<typeof OpeningOrderBody>;

/**
 * 期初开账: the one path an open order from the old system takes, whether it came as a body
 * (POST /orders/opening) or as rows of an import file: the signed-in admin who loads it is its approver.
 */
export async function loadOpeningOrder(deps: OrderServiceDeps, body: OpeningOrderInput, loadedBy: string, createKey?: string) {
  const { approvedBy: _refused, ...req } = body;
  checkOpeningBalance(req.lines);
  const opening = { approvedBy: loadedBy, deliveredQty: req.lines.map((l) => l.deliveredQty) };
  return createOrder(deps, req, loadedBy, createKey, opening);
}
