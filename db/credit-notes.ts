import { DomainError } from '../domain/errors.js';
import type { Sql } from './client.js';

/** What a payer has to its good from credit notes: each note's rest after invoices and refunds. */
export async function customerCredit(sql: Sql, customerCode: string) {
  const [customer] = await sql<{ id: string }[]>`SELECT id FROM customers WHERE code = ${customerCode}`;
  if (!customer) throw new DomainError('UNKNOWN_CUSTOMER', `customer ${customerCode} does not exist`, 'customer');
  const notes = await sql<{ number: string; order_number: string; gross: string; applied: string; refunded: string; open: string; issued_on: string }[]>`
    SELECT cn.number, o.number AS order_number, cn.gross_amount::text AS gross, cn.allocated_amount::text AS applied,
           cn.refunded_amount::text AS refunded, (cn.gross_amount - cn.allocated_amount - cn.refunded_amount)::text AS open, cn.issued_on::text
    FROM credit_notes cn JOIN sales_orders o ON o.id = cn.order_id
    WHERE cn.payer_customer_id = ${customer.id} AND cn.allocated_amount + cn.refunded_amount < cn.gross_amount
    ORDER BY cn.issued_on, cn.id`;
  const [total] = await sql<{ credit: string }[]>`
    SELECT coalesce(sum(gross_amount - allocated_amount - refunded_amount), 0)::numeric(18,2)::text AS credit FROM credit_notes WHERE payer_customer_id = ${customer.id}`;
  return {
    customerCode,
    credit: total!.credit,
    creditNotes: notes.map((n) => ({ number: n.number, orderNumber: n.order_number, gross: n.gross, applied: n.applied, refunded: n.refunded, open: n.open, issuedOn: n.issued_on })),
  };
}
