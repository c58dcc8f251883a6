import { DomainError } from '../errors.js';
import type { OrderCheck } from './checks.js';

/**
 * 期初开账: what the checks before approval do to an order loaded from the old
 * system. The admin who loads it approves it by loading it, so a price under the
 * floor or a credit exposure past the limit does not stop the load: it is stored
 * on the order and shown (order, console, timeline) for anyone to follow up. A
 * blocked customer refuses the load, as it refuses every new order: the company
 * decided not to sell to it, and an open order would keep delivering to it.
 */
export function checkOpeningLoad(checks: OrderCheck[]): void {
  const blocked = checks.find((c) => c.code === 'CUSTOMER_BLOCKED' && !c.passed);
  if (blocked) throw new DomainError('CUSTOMER_BLOCKED', `${blocked.message}; its open orders cannot be loaded`, 'customerCode');
}
