import { checkSalesperson, depositRequired, shipToOf, type PaymentTerms } from '../../domain/order/header.js';
import type { Sql, Tx } from '../../db/client.js';
import { headerChoices, type OrderHeader } from '../../db/order-header.js';

/** The header fields of a create (and of an edit of a draft): CreateOrderBody's, all optional. */
export interface OrderHeaderRequest {
  /** The label of one of the customer's delivery addresses; omitted: its default. */
  shipTo?: string | undefined;
  /** The name of one of the customer's contacts; omitted: the address's own contact. */
  contact?: string | undefined;
  salesperson?: string | undefined;
  department?: string | undefined;
  depositRatio?: string | undefined;
  depositAmount?: string | undefined;
  paymentTerms?: PaymentTerms | undefined;
}

/**
 * The header an order is saved with, by domain/order/header.ts's rules: refuses (naming the field) an address or
 * contact not the customer's, a salesperson who does not sell, a deposit asked twice or above the gross.
 * `enteredBy` is credited with the sale when the request names no salesperson.
 */
export async function resolveOrderHeader(
  sql: Sql | Tx,
  order: { customer: { id: string; code: string }; gross: string; customerDepositRatio: string; enteredBy: string },
  req: OrderHeaderRequest,
): Promise<OrderHeader> {
  const salesperson = req.salesperson ?? order.enteredBy;
  const choices = await headerChoices(sql, order.customer.id, salesperson);
  return {
    shipTo: shipToOf(order.customer.code, choices.addresses, choices.contacts, req),
    // Whoever enters an order may take it; only a named other person is checked against the users.
    salesperson: req.salesperson === undefined ? salesperson : checkSalesperson(salesperson, choices.user),
    department: req.department ?? null,
    depositRatio: req.depositRatio ?? null,
    depositAmount: req.depositAmount ?? null,
    depositRequired: depositRequired(order.gross, req, order.customerDepositRatio),
    paymentTerms: req.paymentTerms ?? null,
  };
}
