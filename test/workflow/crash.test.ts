import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { createActivities } from '../../activities/index.js';
import { deliverUpdate, invoiceUpdate, recordReceiptUpdate, approveUpdate, orderWorkflowId } from '../../workflows/sales-order/definitions.js';
import { useStack } from '../support/stack.js';
import { stockLedgerMismatches, stockOf } from '../support/ledger.js';

// No in-process worker: this file runs the real worker process and kills it.
const stack = useStack({ worker: false });
const workers: ChildProcess[] = [];

function startWorkerProcess(): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'runtime/worker-main.ts'], {
    env: {
      ...process.env,
      DATABASE_URL: stack.databaseUrl,
      TEMPORAL_ADDRESS: stack.temporalAddress,
      TEMPORAL_TASK_QUEUE: stack.taskQueue,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  workers.push(child);
  return child;
}

function kill(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

async function until<T>(probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function documentCounts(number: string) {
  const [row] = await stack.sql`
    SELECT (SELECT count(*) FROM delivery_notes d WHERE d.order_id = o.id)::int AS notes,
           (SELECT count(*) FROM invoices i WHERE i.order_id = o.id)::int AS invoices,
           (SELECT count(*) FROM receipts r WHERE r.order_id = o.id)::int AS receipts,
           (SELECT count(*) FROM stock_moves m WHERE m.document_number = o.number OR m.document_number IN
              (SELECT number FROM delivery_notes WHERE order_id = o.id))::int AS moves
    FROM sales_orders o WHERE o.number = ${number}`;
  return row!;
}

afterEach(async () => {
  await Promise.all(workers.splice(0).map(kill));
});

describe('a worker killed while an order is between steps', () => {
  it('is replaced by a new worker that finishes the order with exactly one of each document', async () => {
    const before = await stockOf(stack.sql, 'P0001', 'WH-BJ');
    const created = await stack.request('POST', '/orders', {
      user: 'clerk.li',
      body: { customerCode: 'C0002', lines: [{ productCode: 'P0001', warehouseCode: 'WH-BJ', quantity: '4', unitPrice: '99.99' }] },
    });
    expect(created.status).toBe(201);
    const number: string = created.body.order.number;
    const handle = stack.client.workflow.getHandle(orderWorkflowId(number));

    let worker = startWorkerProcess();
    await handle.executeUpdate(approveUpdate, { args: [{ actor: 'manager.wang', actorRole: 'approver' as const }] });

    // Deliver, and kill the worker the moment the delivery note is committed: the
    // activity's completion may never reach Temporal, so it will run again.
    const delivering = handle.executeUpdate(deliverUpdate, { args: [{ actor: 'warehouse.zhao', actorRole: 'warehouse' as const }], updateId: 'deliver-1' });
    await until(async () => ((await documentCounts(number)).notes > 0 ? true : undefined));
    await kill(worker);

    worker = startWorkerProcess();
    const delivered = await delivering;
    expect(delivered.order.status).toBe('Delivered');

    // Kill again while nothing runs: the order waits in Temporal, not in memory.
    await kill(worker);
    worker = startWorkerProcess();
    const invoiced = await handle.executeUpdate(invoiceUpdate, { args: [{ actor: 'finance.chen', actorRole: 'finance' as const }], updateId: 'invoice-1' });
    // 4 × 99.99 = 399.96 net; 13% tax = 51.9948 → 51.99 (half-up at the cent)
    expect(invoiced.gross).toBe('451.95');
    await handle.executeUpdate(recordReceiptUpdate, { args: [{ actor: 'finance.chen', actorRole: 'finance' as const, amount: '451.95', method: 'bank_transfer' }] });

    const result = await handle.result();
    expect(result.status).toBe('Completed');
    expect(await documentCounts(number)).toEqual({ notes: 1, invoices: 1, receipts: 1, moves: 2 });
    expect(await stockOf(stack.sql, 'P0001', 'WH-BJ')).toEqual({ onHand: String(Number(before!.onHand) - 4), reserved: before!.reserved });
    expect(await stockLedgerMismatches(stack.sql)).toHaveLength(0);
  }, 120_000);
});

describe('an activity step retried with the same key', () => {
  it('returns the first result and writes nothing twice', async () => {
    const acts = createActivities({ sql: stack.sql, business: { BUSINESS_TIME_ZONE: 'Asia/Shanghai' } });
    const created = await stack.request('POST', '/orders', {
      user: 'clerk.li',
      body: { customerCode: 'C0002', lines: [{ productCode: 'P0003', warehouseCode: 'WH-BJ', quantity: '10' }] },
    });
    const number: string = created.body.order.number;
    const reserve = { orderNumber: number, key: `test/${number}/approve`, approvedBy: 'manager.wang' };
    const [r1, r2] = await Promise.all([acts.reserveStock(reserve), acts.reserveStock(reserve)]);
    expect(r2).toEqual(r1);
    const lines = [{ lineNo: 1, productCode: 'P0003', warehouseCode: 'WH-BJ', quantity: '10' }];
    const step = { orderNumber: number, key: `test/${number}/delivery/1`, deliveredBy: 'warehouse.zhao', lines };
    const n1 = await acts.issueDeliveryNote(step);
    const n2 = await acts.issueDeliveryNote(step);
    expect(n2.number).toBe(n1.number);
    expect(await documentCounts(number)).toMatchObject({ notes: 1, moves: 2 });
    expect(await stockLedgerMismatches(stack.sql)).toHaveLength(0);
  });
});
