import { numericText } from '../domain/decimal.js';
import type { CustomerAddress, CustomerContact, PaymentTerms, ShipTo } from '../domain/order/header.js';
import type { SettlementTerms } from '../domain/receivables.js';
import type { Sql, Tx } from './client.js';

/** The order's header as sales_orders keeps it (migration 019); null: not given, the customer's or nobody's. */
export interface OrderHeader {
  shipTo: ShipTo;
  salesperson: string;
  department: string | null;
  /** How the deposit was asked for: at most one of the two (neither: the customer's ratio). */
  depositRatio: string | null;
  depositAmount: string | null;
  /** What the deposit came to: sales_orders.deposit_required. */
  depositRequired: string;
  paymentTerms: PaymentTerms | null;
}

/** A header that names nothing: no ship-to, no deposit, the payer's terms; the sale credited to `salesperson`. */
export const plainHeader = (salesperson: string): OrderHeader => ({
  shipTo: { label: null, address: null, contact: null, phone: null },
  salesperson,
  department: null,
  depositRatio: null,
  depositAmount: null,
  depositRequired: '0.00',
  paymentTerms: null,
});

/** What the header is chosen from: the customer's addresses and contacts, and the user named as salesperson. */
export async function headerChoices(sql: Sql | Tx, customerId: string, salesperson: string) {
  const [addresses, [customer], [user]] = await Promise.all([
    sql<{ label: string; address: string; contact: string | null; phone: string | null; is_default: boolean }[]>`
      SELECT label, address, contact, phone, is_default FROM customer_addresses WHERE customer_id = ${customerId} ORDER BY id`,
    sql<{ contacts: CustomerContact[] }[]>`SELECT contacts FROM customers WHERE id = ${customerId}`,
    sql<{ role: string; active: boolean }[]>`SELECT role, active FROM users WHERE name = ${salesperson}`,
  ]);
  return {
    addresses: addresses.map((a): CustomerAddress => ({ label: a.label, address: a.address, contact: a.contact, phone: a.phone, isDefault: a.is_default })),
    contacts: customer?.contacts ?? [],
    user,
  };
}

/** The header as columns of sales_orders, for an insert (or an update of a draft). */
export function headerColumns(h: OrderHeader) {
  return {
    ship_to_label: h.shipTo.label,
    ship_to_address: h.shipTo.address,
    ship_to_contact: h.shipTo.contact,
    ship_to_phone: h.shipTo.phone,
    salesperson: h.salesperson,
    department: h.department,
    deposit_ratio: h.depositRatio,
    deposit_amount: h.depositAmount,
    deposit_required: h.depositRequired,
    settlement_terms: h.paymentTerms?.settlementTerms ?? null,
    settlement_days: h.paymentTerms?.settlementDays ?? null,
  };
}

/** The header columns a read selects (with the order's alias `o`), and how a row of them reads back. */
export const HEADER_SELECT = `o.ship_to_label, o.ship_to_address, o.ship_to_contact, o.ship_to_phone, o.salesperson, o.department,
  o.deposit_ratio::text AS h_deposit_ratio, o.deposit_amount::text AS h_deposit_amount, o.deposit_required::text AS h_deposit_required,
  o.settlement_terms AS h_settlement_terms, o.settlement_days AS h_settlement_days`;

export function headerOf(row: Record<string, unknown>): Omit<OrderHeader, 'salesperson'> & { salesperson: string | null } {
  const text = (k: string) => (row[k] as string | null) ?? null;
  return {
    shipTo: { label: text('ship_to_label'), address: text('ship_to_address'), contact: text('ship_to_contact'), phone: text('ship_to_phone') },
    salesperson: text('salesperson'),
    department: text('department'),
    depositRatio: row.h_deposit_ratio === null ? null : numericText(row.h_deposit_ratio as string),
    depositAmount: text('h_deposit_amount'),
    depositRequired: row.h_deposit_required as string,
    paymentTerms: row.h_settlement_terms === null
      ? null
      : { settlementTerms: row.h_settlement_terms as SettlementTerms, settlementDays: Number(row.h_settlement_days) },
  };
}
