import { beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../activities/index.js';
import { dec, money, plain } from '../../domain/decimal.js';
import { planReturn, type SalesOrderState } from '../../domain/order/index.js';
import { useStack } from '../support/stack.js';
import { prng } from '../support/random.js';
import { insertRandomOrder } from '../support/random-order.js';

/**
 * Property, on the real database: random sequences of deliveries, invoices,
 * receipts (automatic, chosen, with and without write-off) and returns (with
 * their credit notes) always leave the
 * receivable ledger balanced to the cent. Activities are called directly: the
 * rules under test live in them and in the database constraints.
 */
const stack = useStack({ worker: false });
let acts: ReturnType<typeof createActivities>;


const newOrder = (customerCode: string, rnd: () => number) => insertRandomOrder(stack.sql, customerCode, rnd, [{ code: 'P0003', taxRate: '0.13' }, { code: 'P0003', taxRate: '0.13' }]);

/** Every balance the ledger keeps, for one payer, each derived two ways. */
async function balances(payer: string) {
  const [row] = await stack.sql`
    WITH c AS (SELECT id FROM customers WHERE code = ${payer})
    SELECT
      (SELECT coalesce(sum(gross_amount), 0) FROM invoices WHERE payer_customer_id = (SELECT id FROM c))::text AS invoiced,
      (SELECT coalesce(sum(a.amount), 0) FROM receipt_allocations a JOIN invoices i ON i.id = a.invoice_id
         WHERE i.payer_customer_id = (SELECT id FROM c))::text AS applied,
      (SELECT coalesce(sum(written_off_amount), 0) FROM invoices WHERE payer_customer_id = (SELECT id FROM c))::text AS written_off,
      (SELECT coalesce(sum(gross_amount), 0) FROM credit_notes WHERE payer_customer_id = (SELECT id FROM c))::text AS credited,
      (SELECT coalesce(sum(a.amount), 0) FROM credit_note_allocations a JOIN invoices i ON i.id = a.invoice_id
         WHERE i.payer_customer_id = (SELECT id FROM c))::text AS credit_applied,
      (SELECT count(*) FROM credit_notes n WHERE n.payer_customer_id = (SELECT id FROM c)
         AND n.allocated_amount <> (SELECT coalesce(sum(amount), 0) FROM credit_note_allocations WHERE credit_note_id = n.id))::int AS credits_off,
      (SELECT coalesce(sum(gross_amount - paid_amount - written_off_amount - credited_amount), 0) FROM invoices WHERE payer_customer_id = (SELECT id FROM c))::text AS open,
      (SELECT coalesce(sum(amount - allocated_amount), 0) FROM receipts WHERE customer_id = (SELECT id FROM c))::text AS advances,
      (SELECT coalesce(sum(amount), 0) FROM receivable_entries WHERE customer_id = (SELECT id FROM c))::text AS ledger,
      (SELECT count(*) FROM receipts r WHERE r.customer_id = (SELECT id FROM c)
         AND r.allocated_amount <> (SELECT coalesce(sum(amount), 0) FROM receipt_allocations WHERE receipt_id = r.id))::int AS receipts_off,
      (SELECT count(*) FROM invoices i WHERE i.payer_customer_id = (SELECT id FROM c)
         AND (i.paid_amount <> (SELECT coalesce(sum(amount), 0) FROM receipt_allocations WHERE invoice_id = i.id)
              OR i.gross_amount <> (SELECT sum(net_amount + tax_amount) FROM invoice_lines WHERE invoice_id = i.id)))::int AS invoices_off,
      (SELECT count(*) FROM sales_order_lines l JOIN sales_orders o ON o.id = l.order_id WHERE o.customer_id = (SELECT id FROM c)
         AND (l.invoiced_qty <> (SELECT coalesce(sum(il.quantity), 0) FROM invoice_lines il JOIN invoices i ON i.id = il.invoice_id
                                 WHERE i.order_id = o.id AND il.order_line_no = l.line_no)
                              - (SELECT coalesce(sum(rl.invoiced_qty), 0) FROM sales_return_lines rl JOIN sales_returns r ON r.id = rl.sales_return_id
                                 WHERE r.order_id = o.id AND rl.order_line_no = l.line_no)
              OR l.delivered_qty <> (SELECT coalesce(sum(dl.quantity - dl.returned_qty), 0) FROM delivery_note_lines dl
                                     JOIN delivery_notes d ON d.id = dl.delivery_note_id WHERE d.order_id = o.id AND dl.order_line_no = l.line_no)))::int AS lines_off,
      -- Finance's per-order sums (order_open_receivables) agree with the open invoices they are kept from.
      (SELECT count(*) FROM (
         SELECT order_id, sum(gross_amount - paid_amount - written_off_amount - credited_amount) AS open, min(due_on) AS due, count(*) AS n FROM invoices
         WHERE payer_customer_id = (SELECT id FROM c) AND paid_amount + written_off_amount + credited_amount < gross_amount GROUP BY order_id) i
       FULL JOIN (SELECT * FROM order_open_receivables WHERE payer_customer_id = (SELECT id FROM c)) s ON s.order_id = i.order_id
       WHERE s.order_id IS NULL OR i.order_id IS NULL OR s.open_amount <> i.open OR s.oldest_due_on <> i.due OR s.open_invoices <> i.n)::int AS orders_off`;
  return row!;
}

beforeAll(async () => {
  acts = createActivities({ sql: stack.sql, business: { BUSINESS_TIME_ZONE: 'Asia/Shanghai' } });
  await stack.sql`UPDATE company_settings SET value = '"0.50"' WHERE key = 'receipts.write_off_tolerance'`;
  await stack.sql`UPDATE stock_levels SET on_hand = on_hand + 100000`;
});

/** A return of part of one delivery note line, planned by the same rule the workflow uses. */
async function returnSomething(order: string, key: string, rnd: () => number) {
  const rows = await stack.sql<{ note: string; line_no: number; open: string; quantity: string; delivered_qty: string; invoiced_qty: string; unit_price: string }[]>`
    SELECT d.number AS note, dl.order_line_no AS line_no, (dl.quantity - dl.returned_qty)::text AS open, l.quantity::text,
           l.delivered_qty::text, l.invoiced_qty::text, l.unit_price::text
    FROM delivery_note_lines dl JOIN delivery_notes d ON d.id = dl.delivery_note_id JOIN sales_orders o ON o.id = d.order_id
    JOIN sales_order_lines l ON l.order_id = o.id AND l.line_no = dl.order_line_no
    WHERE o.number = ${order} AND dl.quantity > dl.returned_qty ORDER BY d.id, dl.line_no`;
  if (rows.length === 0) return;
  const r = rows[Math.floor(rnd() * rows.length)]!;
  const qty = plain(dec(r.open).times(rnd()).ceil());
  const line = { lineNo: r.line_no, productCode: 'P0003', quantity: plain(dec(r.quantity)), closeStatus: 'N', deliveredQty: plain(dec(r.delivered_qty)), invoicedQty: plain(dec(r.invoiced_qty)), unitPrice: plain(dec(r.unit_price)), taxRate: '0.13' };
  const state = { orderNumber: order, status: 'PartiallyDelivered', deliveryNotes: [r.note], lines: [line] } as unknown as SalesOrderState;
  const request = { deliveryNote: r.note, disposition: 'redeliver' as const, reason: 'property', lines: [{ lineNo: r.line_no, quantity: qty === '0' ? '1' : qty }] };
  await acts.recordReturn({ orderNumber: order, key, recordedBy: 'warehouse.zhao', ...request, plan: planReturn(state, request) });
}

describe('property: sum(invoices) − sum(credit notes) − sum(receipts applied) − write-offs = open receivables, to the cent', () => {
  it.each(Array.from({ length: 30 }, (_, i) => i + 1))('seeded sequence %i', async (seed) => {
    const rnd = prng(seed);
    const payer = `PX${String(seed).padStart(3, '0')}`;
    await stack.sql`INSERT INTO customers (code, name) VALUES (${payer}, ${`Property payer ${seed}`})`;
    const orders = [await newOrder(payer, rnd), await newOrder(payer, rnd)];
    let receivedTotal = dec(0);
    for (let step = 0; step < 16; step++) {
      const order = orders[Math.floor(rnd() * orders.length)]!;
      const key = `prop/${seed}/${step}`;
      const lines = await stack.sql<{ line_no: number; quantity: string; delivered_qty: string; invoiced_qty: string; unit_price: string }[]>`
        SELECT l.line_no, l.quantity::text, l.delivered_qty::text, l.invoiced_qty::text, l.unit_price::text
        FROM sales_order_lines l JOIN sales_orders o ON o.id = l.order_id WHERE o.number = ${order} ORDER BY l.line_no`;
      const action = ['deliver', 'deliver', 'invoice', 'invoice', 'receipt', 'receipt', 'chosen', 'return'][Math.floor(rnd() * 8)];
      try {
        if (action === 'deliver') {
          const open = lines.filter((l) => dec(l.quantity).greaterThan(dec(l.delivered_qty)));
          if (open.length === 0) continue;
          const l = open[Math.floor(rnd() * open.length)]!;
          const rest = dec(l.quantity).minus(dec(l.delivered_qty));
          const qty = plain(rest.times(rnd()).ceil());
          await acts.issueDeliveryNote({ orderNumber: order, key, deliveredBy: 'warehouse.zhao', lines: [{ lineNo: l.line_no, productCode: 'P0003', warehouseCode: 'WH-SH', quantity: qty === '0' ? '1' : qty }] });
        } else if (action === 'invoice') {
          const due = lines
            .filter((l) => dec(l.delivered_qty).greaterThan(dec(l.invoiced_qty)))
            .map((l) => ({ lineNo: l.line_no, productCode: 'P0003', quantity: plain(dec(l.delivered_qty).minus(dec(l.invoiced_qty))), unitPrice: plain(dec(l.unit_price)), taxRate: '0.13' }));
          if (due.length === 0) continue;
          await acts.issueInvoice({ orderNumber: order, key, issuedBy: 'finance.chen', lines: due });
          // The same key again (a retry) changes nothing.
          await acts.issueInvoice({ orderNumber: order, key, issuedBy: 'finance.chen', lines: due });
        } else if (action === 'receipt') {
          const amount = money(dec(rnd() * 400).plus(dec('0.01')));
          const writeOffDifference = rnd() < 0.3;
          await acts.recordReceipt({ scope: 'payer', payerCode: payer, key, recordedBy: 'finance.chen', amount, method: 'cash', writeOffDifference });
          receivedTotal = receivedTotal.plus(dec(amount));
        } else if (action === 'return') {
          await returnSomething(order, key, rnd);
        } else {
          const [inv] = await stack.sql`
            SELECT number, (gross_amount - paid_amount - written_off_amount - credited_amount)::text AS open FROM invoices i
            JOIN customers c ON c.id = i.payer_customer_id WHERE c.code = ${payer} AND paid_amount + written_off_amount + credited_amount < gross_amount ORDER BY i.id DESC LIMIT 1`;
          if (!inv) continue;
          // Half the time: nearly all of it, asking to write off a difference around the tolerance.
          const nearlyAll = rnd() < 0.5;
          const short = nearlyAll ? dec(inv.open).minus(dec(money(dec(rnd() * 0.6)))) : dec(inv.open).times(rnd());
          const amount = money(short.lessThan(dec('0.01')) ? dec('0.01') : short);
          await acts.recordReceipt({
            scope: 'payer',
            payerCode: payer,
            key,
            recordedBy: 'finance.chen',
            amount,
            method: 'bank_transfer',
            allocations: [{ invoiceNumber: inv.number, amount }],
            writeOffDifference: nearlyAll,
          });
          receivedTotal = receivedTotal.plus(dec(amount));
        }
      } catch (err) {
        // Only a refusal the rules allow (a difference over the tolerance) may happen; it must write nothing.
        expect((err as { type?: string }).type).toBe('OVER_TOLERANCE');
      }
      const b = await balances(payer);
      // Invoice by invoice: what receipts, write-offs and credit notes settled leaves exactly the open amounts.
      expect(money(dec(b.invoiced).minus(dec(b.applied)).minus(dec(b.written_off)).minus(dec(b.credit_applied)))).toBe(money(dec(b.open)));
      // The ledger: invoices − credit notes − receipts − write-offs; advances and unapplied credit are what the payer has to its good.
      const unappliedCredit = dec(b.credited).minus(dec(b.credit_applied));
      expect(money(dec(b.ledger))).toBe(money(dec(b.invoiced).minus(dec(b.credited)).minus(receivedTotal).minus(dec(b.written_off))));
      expect(money(dec(b.ledger))).toBe(money(dec(b.open).minus(dec(b.advances)).minus(unappliedCredit)));
      expect(money(dec(b.applied).plus(dec(b.advances)))).toBe(money(receivedTotal));
      expect([b.receipts_off, b.invoices_off, b.lines_off, b.credits_off, b.orders_off]).toEqual([0, 0, 0, 0, 0]);
    }
  });

  it('the sequences exercised every kind of step (the property is not vacuous)', async () => {
    const [row] = await stack.sql`
      SELECT (SELECT count(*) FROM invoices i JOIN customers c ON c.id = i.payer_customer_id WHERE c.code LIKE 'PX%')::int AS invoices,
             (SELECT count(*) FROM receipt_allocations a JOIN receipts r ON r.id = a.receipt_id JOIN customers c ON c.id = r.customer_id WHERE c.code LIKE 'PX%')::int AS allocations,
             (SELECT count(*) FROM receivable_entries e JOIN customers c ON c.id = e.customer_id WHERE c.code LIKE 'PX%' AND e.kind = 'write_off')::int AS write_offs,
             (SELECT count(*) FROM receipts r JOIN customers c ON c.id = r.customer_id WHERE c.code LIKE 'PX%' AND r.allocated_amount < r.amount)::int AS advances,
             (SELECT count(*) FROM credit_notes n JOIN customers c ON c.id = n.payer_customer_id WHERE c.code LIKE 'PX%')::int AS credit_notes,
             (SELECT count(*) FROM sales_returns s JOIN sales_orders o ON o.id = s.order_id JOIN customers c ON c.id = o.customer_id
               WHERE c.code LIKE 'PX%' AND s.gross_amount = 0)::int AS uninvoiced_returns,
             (SELECT count(*) FROM order_open_receivables s JOIN customers c ON c.id = s.payer_customer_id WHERE c.code LIKE 'PX%')::int AS open_orders`;
    expect(row!.invoices).toBeGreaterThan(20);
    expect(row!.allocations).toBeGreaterThan(20);
    expect(row!.write_offs).toBeGreaterThan(0);
    expect(row!.advances).toBeGreaterThan(0);
    expect(row!.credit_notes).toBeGreaterThan(5);
    expect(row!.uninvoiced_returns).toBeGreaterThan(0);
    expect(row!.open_orders).toBeGreaterThan(0);
  });
});
