import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderStateQuery, orderWorkflowId } from '../../workflows/sales-order/definitions.js';
import { devToken } from '../../api/auth/demo-users.js';
import { FaultStack } from './stack.js';
import { prng } from '../support/random.js';

/**
 * 200 orders in flight at different steps while the worker is SIGKILLed twice,
 * the Temporal dev server is stopped and restarted on its SQLite file, and
 * Postgres is stopped and restarted under running activities. Clients retry
 * with the same Idempotency-Key, as a real client does. Then nothing may be lost
 * or doubled.
 */
const ORDERS = Number(process.env.FAULT_ORDERS ?? 200);
const SEED = Number(process.env.FAULT_SEED ?? Date.now() % 100_000);

// What each order is driven to: 1 created, 2 approved, 3 delivered, 4 invoiced, 5 paid (→ completed),
// 6 paid and then one unit returned (the completed order reopens, the credit note is the customer's, it completes again).
const STATUS_AT: Record<number, string> = { 1: 'Unapproved', 2: 'Approved', 3: 'Delivered', 4: 'Delivered', 5: 'Completed', 6: 'Completed' };

const stack = new FaultStack();
let client: Client;

beforeAll(async () => {
  await stack.start();
  await stack.sql.begin(async (tx) => {
    const [p] = await tx`INSERT INTO products (code, name, list_price, tax_rate) VALUES ('FLT-1', 'Fault suite item', 33.333, 0.13) RETURNING id`;
    const [w] = await tx`SELECT id FROM warehouses WHERE code = 'WH-SH'`;
    await tx`INSERT INTO stock_levels (product_id, warehouse_id, on_hand) VALUES (${p!.id}, ${w!.id}, 100000)`;
    await tx`INSERT INTO stock_moves (idempotency_key, product_id, warehouse_id, kind, on_hand_delta, reserved_delta, document_number)
             VALUES ('faults/opening', ${p!.id}, ${w!.id}, 'opening', 100000, 0, 'OPENING')`;
    // An order that is returned after payment leaves its customer a credit, which that customer's next invoice
    // would take: each such order has a customer of its own, so every other order is paid its full gross.
    await tx`INSERT INTO customers (code, name) SELECT 'FR' || i, 'Fault suite returner ' || i FROM generate_series(0, ${ORDERS - 1}) i`;
  });
}, 180_000);

afterAll(async () => {
  await client?.connection.close().catch(() => undefined);
  await stack.stop();
}, 60_000);

/** A client that keeps trying through outages, with one idempotency key per command. */
async function command(method: string, path: string, user: string, key: string, body?: unknown): Promise<any> {
  for (let attempt = 0; ; attempt++) {
    if (stack.crashed) throw new Error(stack.crashed);
    const res = await fetch(`${stack.apiUrl}${path}`, {
      method,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${devToken(user)}`, 'idempotency-key': key },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      signal: AbortSignal.timeout(60_000),
    }).catch(() => undefined);
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

async function drive(i: number, target: number): Promise<string> {
  const created = await command('POST', '/orders', 'clerk.li', `faults-${SEED}-${i}-create`, {
    customerCode: target === 6 ? `FR${i}` : i % 2 ? 'C0001' : 'C0002',
    lines: [{ productCode: 'FLT-1', warehouseCode: 'WH-SH', quantity: String(1 + (i % 5)) }],
  });
  const n: string = created.order.number;
  if (target >= 2) await command('POST', `/orders/${n}/approve`, 'manager.wang', `${n}-approve`, {});
  let note = '';
  if (target >= 3) note = (await command('POST', `/orders/${n}/deliver`, 'warehouse.zhao', `${n}-deliver`, {})).deliveryNote;
  let gross = '0';
  if (target >= 4) gross = (await command('POST', `/orders/${n}/invoice`, 'finance.chen', `${n}-invoice`, {})).gross;
  if (target >= 5) await command('POST', `/orders/${n}/receipts`, 'finance.chen', `${n}-receipt`, { amount: gross, method: 'bank_transfer' });
  if (target >= 6) {
    await command('POST', `/orders/${n}/returns`, 'warehouse.zhao', `${n}-return`, {
      deliveryNote: note,
      disposition: 'cancel_remainder',
      reason: 'fault suite return',
      lines: [{ lineNo: 1, quantity: '1' }],
    });
  }
  return n;
}

describe('faults while 200 orders are in flight', () => {
  it('loses nothing and doubles nothing', async () => {
    const random = prng(SEED);
    const targets = Array.from({ length: ORDERS }, () => 1 + Math.floor(random() * 6));
    const faults: string[] = [];
    let driving = true;

    const drivers = (async () => {
      const numbers: string[] = new Array(ORDERS);
      let next = 0;
      await Promise.all(
        Array.from({ length: 16 }, async () => {
          for (;;) {
            const i = next++;
            if (i >= ORDERS) return;
            numbers[i] = await drive(i, targets[i]!);
          }
        }),
      );
      driving = false;
      return numbers;
    })();

    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    const injector = (async () => {
      for (const [name, inject] of [
        ['worker SIGKILL', async () => { await stack.killWorker(); await sleep(500); stack.startWorker(); }],
        ['worker SIGKILL', async () => { await stack.killWorker(); await sleep(500); stack.startWorker(); }],
        ['Temporal dev server stop/start', () => stack.restartTemporal(2000)],
        ['Postgres stop/start', () => stack.restartPostgres(2000)],
      ] as const) {
        await sleep(1500 + random() * 3000);
        if (!driving) break;
        await inject();
        faults.push(name);
      }
    })();

    const numbers = await drivers;
    await injector;
    expect(faults.length).toBeGreaterThanOrEqual(2);

    client = new Client({ connection: await Connection.connect({ address: stack.temporalAddress }) });
    // Paid orders complete on their own; every other order waits where it was left.
    for (const [i, n] of numbers.entries()) {
      const handle = client.workflow.getHandle(orderWorkflowId(n));
      if (targets[i]! >= 5) {
        expect((await handle.result()).status).toBe('Completed');
      } else {
        const live = await handle.query(orderStateQuery);
        expect(live.status).toBe(STATUS_AT[targets[i]!]);
      }
    }

    const rows = await stack.sql<{ number: string; status: string; notes: number; invoices: number; receipts: number; returns: number; credit_notes: number }[]>`
      SELECT o.number, o.status,
             (SELECT count(*) FROM delivery_notes d WHERE d.order_id = o.id)::int AS notes,
             (SELECT count(*) FROM invoices v WHERE v.order_id = o.id)::int AS invoices,
             (SELECT count(*) FROM receipts r WHERE r.order_id = o.id)::int AS receipts,
             (SELECT count(*) FROM sales_returns s WHERE s.order_id = o.id)::int AS returns,
             (SELECT count(*) FROM credit_notes cn WHERE cn.order_id = o.id)::int AS credit_notes
      FROM sales_orders o ORDER BY o.id`;
    expect(rows).toHaveLength(ORDERS);
    const byNumber = new Map(rows.map((r) => [r.number, r]));
    for (const [i, n] of numbers.entries()) {
      const t = targets[i]!;
      const returned = t >= 6 ? 1 : 0;
      expect(byNumber.get(n)).toEqual({ number: n, status: STATUS_AT[t], notes: t >= 3 ? 1 : 0, invoices: t >= 4 ? 1 : 0, receipts: t >= 5 ? 1 : 0, returns: returned, credit_notes: returned });
    }

    const [dup] = await stack.sql<{ n: number }[]>`
      SELECT ((SELECT count(*) FROM (SELECT idempotency_key FROM delivery_notes GROUP BY 1 HAVING count(*) > 1) a)
            + (SELECT count(*) FROM (SELECT idempotency_key FROM invoices GROUP BY 1 HAVING count(*) > 1) b)
            + (SELECT count(*) FROM (SELECT idempotency_key FROM receipts GROUP BY 1 HAVING count(*) > 1) c)
            + (SELECT count(*) FROM (SELECT idempotency_key FROM stock_moves GROUP BY 1 HAVING count(*) > 1) d)
            + (SELECT count(*) FROM (SELECT order_id FROM sales_returns GROUP BY 1 HAVING count(*) > 1) f)
            + (SELECT count(*) FROM (SELECT sales_return_id FROM credit_notes GROUP BY 1 HAVING count(*) > 1) g)
            + (SELECT count(*) FROM (SELECT create_key FROM sales_orders WHERE create_key IS NOT NULL GROUP BY 1 HAVING count(*) > 1) e))::int AS n`;
    const [stock] = await stack.sql<{ n: number }[]>`
      SELECT count(*)::int AS n FROM stock_levels s
      LEFT JOIN (SELECT product_id, warehouse_id, sum(on_hand_delta) oh, sum(reserved_delta) r FROM stock_moves GROUP BY 1, 2) m USING (product_id, warehouse_id)
      WHERE s.on_hand <> coalesce(m.oh, 0) OR s.reserved <> coalesce(m.r, 0)`;
    const [money] = await stack.sql<{ invoiced: string; credited: string; applied: string; open: string; difference: string; by_invoice: string }[]>`
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
    const [flt] = await stack.sql<{ reserved: string }[]>`
      SELECT s.reserved::int::text AS reserved FROM stock_levels s JOIN products p ON p.id = s.product_id WHERE p.code = 'FLT-1'`;

    console.log(
      `faults suite (seed ${SEED}): orders ${ORDERS}, faults injected ${faults.length} (${faults.join(', ')}), ` +
        `duplicates found ${dup!.n}, stock ledger mismatches ${stock!.n}, invoiced ${money!.invoiced}, credit notes ${money!.credited}, applied ${money!.applied}, open ${money!.open}`,
    );
    expect(dup!.n).toBe(0);
    expect(stock!.n).toBe(0);
    expect(flt!.reserved).toBe(String(expectedReserved));
    // invoices − credit notes − receipts − write-offs = open receivables, to the cent (computed in NUMERIC, not floats)
    expect(money!.difference).toBe('0.00');
    expect(money!.by_invoice).toBe('0.00');
  }, 900_000);
});
