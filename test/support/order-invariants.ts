import type { Client } from '@temporalio/client';
import { expect } from 'vitest';
import type { Sql } from '../../db/client.js';
import { devToken } from '../../api/auth/demo-users.js';
import { orderStateQuery, orderWorkflowId } from '../../workflows/sales-order/definitions.js';

/**
 * What the fault suite and the cluster suite both drive and both check: orders taken to random steps
 * through the API by clients that retry like real ones, then nothing lost or doubled.
 */

// What each order is driven to: 1 created, 2 approved, 3 delivered, 4 invoiced, 5 paid (→ completed),
// 6 paid and then one unit returned (the completed order reopens, the credit note is the customer's, it completes again).
export const STATUS_AT: Record<number, string> = { 1: 'Unapproved', 2: 'Approved', 3: 'Delivered', 4: 'Delivered', 5: 'Completed', 6: 'Completed' };

/** The product every driven order sells, with plenty of stock, and a customer of its own per order that is returned. */
export async function seedDrivenOrders(sql: Sql, orders: number): Promise<void> {
  await sql.begin(async (tx) => {
    const [p] = await tx`INSERT INTO products (code, name, list_price, tax_rate) VALUES ('FLT-1', 'Fault suite item', 33.333, 0.13) RETURNING id`;
    const [w] = await tx`SELECT id FROM warehouses WHERE code = 'WH-SH'`;
    await tx`INSERT INTO stock_levels (product_id, warehouse_id, on_hand) VALUES (${p!.id}, ${w!.id}, 100000)`;
    await tx`INSERT INTO stock_moves (idempotency_key, product_id, warehouse_id, kind, on_hand_delta, reserved_delta, document_number)
             VALUES ('faults/opening', ${p!.id}, ${w!.id}, 'opening', 100000, 0, 'OPENING')`;
    // An order that is returned after payment leaves its customer a credit, which that customer's next invoice
    // would take: each such order has a customer of its own, so every other order is paid its full gross.
    await tx`INSERT INTO customers (code, name) SELECT 'FR' || i, 'Fault suite returner ' || i FROM generate_series(0, ${orders - 1}) i`;
  });
}

export interface Driver {
  /** The API to send an order's `attempt`-th try to (one API, or several behind a client-side balancer). */
  apiFor(attempt: number): string;
  /** Why the run must stop now (a process died on its own), if it must. */
  crashed(): string | undefined;
  seed: number;
  /**
   * Told of every attempt's outcome: the API's HTTP status, 'timed out' when no answer came within the client's
   * 60 s, or 'failed' when the connection was refused or cut off.
   */
  answered?(api: string, outcome: number | 'timed out' | 'failed'): void;
}

/** A client that keeps trying through outages, with one idempotency key per command. */
export async function command(d: Driver, method: string, path: string, user: string, key: string, body?: unknown): Promise<any> {
  for (let attempt = 0; ; attempt++) {
    const why = d.crashed();
    if (why) throw new Error(why);
    const api = d.apiFor(attempt);
    let failure: 'timed out' | 'failed' = 'failed';
    const res = await fetch(`${api}${path}`, {
      method,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${devToken(user)}`, 'idempotency-key': key },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      signal: AbortSignal.timeout(60_000),
    }).catch((err: unknown) => {
      if (err instanceof Error && err.name === 'TimeoutError') failure = 'timed out';
      return undefined;
    });
    d.answered?.(api, res?.status ?? failure);
    // A key still held by the attempt before (it outlived the client's timeout, or died with the API) is retried too.
    const inUse = res?.status === 409 && (await res.clone().json()).error?.code === 'IDEMPOTENCY_KEY_IN_USE';
    if (res && res.status < 500 && !inUse) {
      const json = await res.json();
      if (res.status >= 400) throw new Error(`${method} ${path} → ${res.status} ${JSON.stringify(json)}`);
      return json;
    }
    if (attempt > 300) throw new Error(`${method} ${path} kept failing (${res?.status ?? 'no answer'})`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** Order `i` from creation to `target` (see STATUS_AT); answers its number. */
export async function driveOrder(d: Driver, i: number, target: number): Promise<string> {
  const created = await command(d, 'POST', '/orders', 'clerk.li', `faults-${d.seed}-${i}-create`, {
    customerCode: target === 6 ? `FR${i}` : i % 2 ? 'C0001' : 'C0002',
    lines: [{ productCode: 'FLT-1', warehouseCode: 'WH-SH', quantity: String(1 + (i % 5)) }],
  });
  const n: string = created.order.number;
  if (target >= 2) await command(d, 'POST', `/orders/${n}/approve`, 'manager.wang', `${n}-approve`, {});
  let note = '';
  if (target >= 3) note = (await command(d, 'POST', `/orders/${n}/deliver`, 'warehouse.zhao', `${n}-deliver`, {})).deliveryNote;
  let gross = '0';
  if (target >= 4) gross = (await command(d, 'POST', `/orders/${n}/invoice`, 'finance.chen', `${n}-invoice`, {})).gross;
  if (target >= 5) await command(d, 'POST', `/orders/${n}/receipts`, 'finance.chen', `${n}-receipt`, { amount: gross, method: 'bank_transfer' });
  if (target >= 6) {
    await command(d, 'POST', `/orders/${n}/returns`, 'warehouse.zhao', `${n}-return`, {
      deliveryNote: note,
      disposition: 'cancel_remainder',
      reason: 'fault suite return',
      lines: [{ lineNo: 1, quantity: '1' }],
    });
  }
  return n;
}

/** Drives every order with `clients` clients at once; answers the orders' numbers, by index. */
export async function driveAll(d: Driver, targets: number[], clients: number): Promise<string[]> {
  const numbers: string[] = new Array(targets.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      for (;;) {
        const i = next++;
        if (i >= targets.length) return;
        numbers[i] = await driveOrder(d, i, targets[i]!);
      }
    }),
  );
  return numbers;
}

/** Paid orders complete on their own; every other order waits where it was left. Answers how many completed. */
export async function expectEndStates(client: Client, numbers: string[], targets: number[]): Promise<number> {
  let completed = 0;
  for (const [i, n] of numbers.entries()) {
    const handle = client.workflow.getHandle(orderWorkflowId(n));
    if (targets[i]! >= 5) {
      expect((await handle.result()).status).toBe('Completed');
      completed++;
    } else {
      const live = await handle.query(orderStateQuery);
      expect(live.status).toBe(STATUS_AT[targets[i]!]);
    }
  }
  return completed;
}

export interface LedgerCheck {
  duplicates: number;
  stockMismatches: number;
  invoiced: string;
  credited: string;
  applied: string;
  open: string;
}

/**
 * Each order's documents exactly as its target says, no document twice, the stock ledger equal to the levels,
 * FLT-1's reservations those of the approved orders, and the receivables adding up to the cent.
 */
export async function expectLedgerHolds(sql: Sql, numbers: string[], targets: number[], report: (check: LedgerCheck) => void): Promise<LedgerCheck> {
  const rows = await sql<{ number: string; status: string; notes: number; invoices: number; receipts: number; returns: number; credit_notes: number }[]>`
    SELECT o.number, o.status,
           (SELECT count(*) FROM delivery_notes d WHERE d.order_id = o.id)::int AS notes,
           (SELECT count(*) FROM invoices v WHERE v.order_id = o.id)::int AS invoices,
           (SELECT count(*) FROM receipts r WHERE r.order_id = o.id)::int AS receipts,
           (SELECT count(*) FROM sales_returns s WHERE s.order_id = o.id)::int AS returns,
           (SELECT count(*) FROM credit_notes cn WHERE cn.order_id = o.id)::int AS credit_notes
    FROM sales_orders o ORDER BY o.id`;
  expect(rows).toHaveLength(numbers.length);
  const byNumber = new Map(rows.map((r) => [r.number, r]));
  for (const [i, n] of numbers.entries()) {
    const t = targets[i]!;
    const returned = t >= 6 ? 1 : 0;
    expect(byNumber.get(n)).toEqual({ number: n, status: STATUS_AT[t], notes: t >= 3 ? 1 : 0, invoices: t >= 4 ? 1 : 0, receipts: t >= 5 ? 1 : 0, returns: returned, credit_notes: returned });
  }

  const [dup] = await sql<{ n: number }[]>`
    SELECT ((SELECT count(*) FROM (SELECT idempotency_key FROM delivery_notes GROUP BY 1 HAVING count(*) > 1) a)
          + (SELECT count(*) FROM (SELECT idempotency_key FROM invoices GROUP BY 1 HAVING count(*) > 1) b)
          + (SELECT count(*) FROM (SELECT idempotency_key FROM receipts GROUP BY 1 HAVING count(*) > 1) c)
          + (SELECT count(*) FROM (SELECT idempotency_key FROM stock_moves GROUP BY 1 HAVING count(*) > 1) d)
          + (SELECT count(*) FROM (SELECT order_id FROM sales_returns GROUP BY 1 HAVING count(*) > 1) f)
          + (SELECT count(*) FROM (SELECT sales_return_id FROM credit_notes GROUP BY 1 HAVING count(*) > 1) g)
          + (SELECT count(*) FROM (SELECT create_key FROM sales_orders WHERE create_key IS NOT NULL GROUP BY 1 HAVING count(*) > 1) e))::int AS n`;
  const [stock] = await sql<{ n: number }[]>`
    SELECT count(*)::int AS n FROM stock_levels s
    LEFT JOIN (SELECT product_id, warehouse_id, sum(on_hand_delta) oh, sum(reserved_delta) r FROM stock_moves GROUP BY 1, 2) m USING (product_id, warehouse_id)
    WHERE s.on_hand <> coalesce(m.oh, 0) OR s.reserved <> coalesce(m.r, 0)`;
  const [money] = await sql<{ invoiced: string; credited: string; applied: string; open: string; difference: string; by_invoice: string }[]>`
    WITH t AS (SELECT (SELECT coalesce(sum(gross_amount), 0) FROM invoices) AS invoiced,
                      (SELECT coalesce(sum(gross_amount), 0) FROM credit_notes) AS credited,
                      (SELECT coalesce(sum(written_off_amount), 0) FROM invoices) AS written_off,
                      (SELECT coalesce(sum(amount), 0) FROM receipt_allocations) AS applied,
                      (SELECT coalesce(sum(amount), 0) FROM credit_note_allocations) AS credit_applied,
                      (SELECT coalesce(sum(amount - allocated_amount), 0) FROM receipts) AS advances,
                      (SELECT coalesce(sum(gross_amount - paid_amount - written_off_amount - credited_amount), 0) FROM invoices) AS invoices_open,
                      (SELECT coalesce(sum(amount), 0) FROM receivable_entries) AS open)
    SELECT invoiced::text, credited::text, applied::text, open::text,
           (invoiced - credited - applied - advances - written_off - open)::numeric(18,2)::text AS difference,
           (invoiced - applied - written_off - credit_applied - invoices_open)::numeric(18,2)::text AS by_invoice FROM t`;
  const expectedReserved = numbers.reduce((acc, _n, i) => acc + (targets[i] === 2 ? 1 + (i % 5) : 0), 0);
  const [flt] = await sql<{ reserved: string }[]>`
    SELECT s.reserved::int::text AS reserved FROM stock_levels s JOIN products p ON p.id = s.product_id WHERE p.code = 'FLT-1'`;

  const check = { duplicates: dup!.n, stockMismatches: stock!.n, invoiced: money!.invoiced, credited: money!.credited, applied: money!.applied, open: money!.open };
  report(check); // before the assertions, so a failing run still says what it found
  expect(check.duplicates).toBe(0);
  expect(check.stockMismatches).toBe(0);
  expect(flt!.reserved).toBe(String(expectedReserved));
  // invoices − credit notes − receipts − write-offs = open receivables, to the cent (computed in NUMERIC, not floats)
  expect(money!.difference).toBe('0.00');
  expect(money!.by_invoice).toBe('0.00');
  return check;
}
