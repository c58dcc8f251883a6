import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { devToken } from '../api/auth/demo-users.js';
import { orderWorkflowId } from '../workflows/sales-order/definitions.js';
import { floorDoneUpdate, floorOrder, floorPingUpdate, floorStepUpdate, type FloorShape } from './floor-workflow.js';
import type { BenchStack } from './stack.js';
import { percentile, pool, round } from './stats.js';

export interface Api {
  /** A JSON body, or with `contentType` a text body sent as it is (a CSV upload). */
  call(method: string, path: string, user: string, body?: unknown, contentType?: string, headers?: Record<string, string>): Promise<{ status: number; body: any }>;
}

export function apiClient(baseUrl: string): Api {
  return {
    async call(method, path, user, body, contentType, headers) {
      const res = await fetch(`${baseUrl}${path}`, {
        method,
        headers: { 'content-type': contentType ?? 'application/json', authorization: `Bearer ${devToken(user)}`, ...headers },
        ...(body !== undefined ? { body: contentType ? String(body) : JSON.stringify(body) } : {}),
      });
      return { status: res.status, body: await res.json() };
    },
  };
}

async function expectOk(p: Promise<{ status: number; body: any }>, what: string) {
  const res = await p;
  if (res.status >= 300) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export async function temporalClient(address: string) {
  const connection = await Connection.connect({ address });
  return new Client({ connection });
}

/** A product with plenty of stock so the lifecycle never waits on a shortfall. */
export async function benchProduct(stack: BenchStack, code: string, onHand: string) {
  await stack.sql.begin(async (tx) => {
    const [p] = await tx`INSERT INTO products (code, name, list_price, tax_rate) VALUES (${code}, ${'Bench ' + code}, 10.00, 0.13) RETURNING id`;
    const [w] = await tx`SELECT id FROM warehouses WHERE code = 'WH-SH'`;
    await tx`INSERT INTO stock_levels (product_id, warehouse_id, on_hand) VALUES (${p!.id}, ${w!.id}, ${onHand})`;
    await tx`INSERT INTO stock_moves (idempotency_key, product_id, warehouse_id, kind, on_hand_delta, reserved_delta, document_number)
             VALUES (${'bench/opening/' + code}, ${p!.id}, ${w!.id}, 'opening', ${onHand}, 0, 'OPENING')`;
  });
}

export interface LifecycleResult {
  orders: number;
  seconds: number;
  ordersPerSecond: number;
  approveMs: number[];
  /** The number of an order that went the whole way (its history gives the floor its shape). */
  anOrder: string;
}

/** Full orders through the API: create → approve (reserve) → deliver → invoice → receipt → complete. */
export async function lifecycle(stack: BenchStack, client: Client, orders: number, concurrency: number, productCode: string): Promise<LifecycleResult> {
  const api = apiClient(stack.apiUrl);
  const approveMs: number[] = [];
  let anOrder = '';
  const started = performance.now();
  await pool(orders, concurrency, async () => {
    const created = await expectOk(
      api.call('POST', '/orders', 'clerk.li', { customerCode: 'C0002', lines: [{ productCode, warehouseCode: 'WH-SH', quantity: '2' }] }),
      'create',
    );
    const n = created.order.number as string;
    const t0 = performance.now();
    await expectOk(api.call('POST', `/orders/${n}/approve`, 'manager.wang', {}), 'approve');
    approveMs.push(performance.now() - t0);
    await expectOk(api.call('POST', `/orders/${n}/deliver`, 'warehouse.zhao', {}), 'deliver');
    const invoice = await expectOk(api.call('POST', `/orders/${n}/invoice`, 'finance.chen', {}), 'invoice');
    await expectOk(api.call('POST', `/orders/${n}/receipts`, 'finance.chen', { amount: invoice.gross, method: 'bank_transfer' }), 'receipt');
    const result = await client.workflow.getHandle(orderWorkflowId(n)).result();
    if (result.status !== 'Completed') throw new Error(`order ${n} ended ${result.status}`);
    anOrder = n;
  });
  const seconds = (performance.now() - started) / 1000;
  return { orders, seconds: round(seconds, 2), ordersPerSecond: round(orders / seconds, 2), approveMs, anOrder };
}

export interface FloorResult {
  orders: number;
  seconds: number;
  ordersPerSecond: number;
  /** Round trips of each update, by its place in the order (0 is the approval's). */
  stepMs: number[][];
  /** The workflow id of one floor order of the run. */
  anOrder: string;
}

/**
 * The no-op workflow with the same number of updates and activities as a real
 * order (its shape, read from that order's history), straight on Temporal.
 */
export async function floor(client: Client, shape: FloorShape, orders: number, concurrency: number): Promise<FloorResult> {
  const stepMs: number[][] = shape.updates.map(() => []);
  const started = performance.now();
  let anOrder = '';
  await pool(orders, concurrency, async () => {
    const handle = await client.workflow.start(floorOrder, { taskQueue: 'bench-floor', workflowId: `floor-${randomUUID()}`, args: [shape] });
    anOrder = handle.workflowId;
    for (let i = 0; i < shape.updates.length; i++) {
      const t0 = performance.now();
      await handle.executeUpdate(floorStepUpdate, { args: [i] });
      stepMs[i]!.push(performance.now() - t0);
    }
    await handle.result();
  });
  const seconds = (performance.now() - started) / 1000;
  return { orders, seconds: round(seconds, 2), ordersPerSecond: round(orders / seconds, 2), stepMs, anOrder };
}

/**
 * Bare Temporal update round trips (an update whose handler does nothing) sent
 * one after another while something else runs, so they see the same server
 * under the same load. Call `stop()` to end the loop and get the sample.
 */
export async function bareUpdates(client: Client, pauseMs = 100): Promise<{ stop(): Promise<number[]> }> {
  const handle = await client.workflow.start(floorOrder, {
    taskQueue: 'bench-floor',
    workflowId: `ping-${randomUUID()}`,
    args: [{ start: [], updates: [[]], after: [[]], closing: [] }],
  });
  await handle.executeUpdate(floorPingUpdate);
  const sample: number[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const t0 = performance.now();
      await handle.executeUpdate(floorPingUpdate);
      sample.push(performance.now() - t0);
      await new Promise((r) => setTimeout(r, pauseMs));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      await handle.executeUpdate(floorDoneUpdate);
      await handle.result();
      return sample;
    },
  };
}

export interface ApprovalBurst {
  approvals: number;
  approved: number;
  refused: number;
  seconds: number;
  approvalsPerSecond: number;
}

export interface HotProductResult {
  stock: number;
  /** 200 approvals of orders for one product with stock for 100. */
  hot: ApprovalBurst & { reservedAfter: string };
  /** The same 200 approvals, each order for a product of its own: nobody waits for anybody's row. */
  spread: ApprovalBurst;
  ratio: number;
}

/**
 * Contention's cost: 200 orders of one unit for one product with stock for 100, approved at once (exactly 100 may
 * reserve), against 200 orders for 200 products approved at once. A decision is an approval given or refused.
 */
export async function hotProduct(stack: BenchStack, orders = 200, stock = 100): Promise<HotProductResult> {
  const api = apiClient(stack.apiUrl);
  const tag = Date.now().toString(36).toUpperCase();
  const hotCode = `HOT-${tag}`;
  await benchProduct(stack, hotCode, String(stock));
  const spreadCodes = Array.from({ length: orders }, (_, i) => `SPREAD-${tag}-${i}`);
  for (const code of spreadCodes) await benchProduct(stack, code, '1');

  const create = (codes: string[]) =>
    pool(codes.length, 16, async (i) => {
      const created = await expectOk(
        api.call('POST', '/orders', 'clerk.li', { customerCode: 'C0002', lines: [{ productCode: codes[i]!, warehouseCode: 'WH-SH', quantity: '1' }] }),
        'create',
      );
      return created.order.number as string;
    });
  const burst = async (numbers: string[]): Promise<ApprovalBurst> => {
    const t0 = performance.now();
    // As a real client would: a 503 (the order did not answer in time) is repeated with the same Idempotency-Key.
    const approve = async (n: string) => {
      for (;;) {
        const res = await api.call('POST', `/orders/${n}/approve`, 'manager.wang', {}, undefined, { 'idempotency-key': `bench-approve-${n}` });
        if (res.status !== 503) return res;
      }
    };
    const results = await Promise.all(numbers.map(approve));
    const seconds = (performance.now() - t0) / 1000;
    const approved = results.filter((r) => r.status === 200).length;
    const refused = results.filter((r) => r.status === 409 && r.body?.error?.code === 'INSUFFICIENT_STOCK').length;
    const other = results.filter((r) => r.status !== 200 && !(r.status === 409 && r.body?.error?.code === 'INSUFFICIENT_STOCK'));
    if (other.length > 0) throw new Error(`approvals answered otherwise: ${JSON.stringify(other.slice(0, 3).map((r) => [r.status, r.body]))}`);
    return { approvals: numbers.length, approved, refused, seconds: round(seconds, 2), approvalsPerSecond: round(numbers.length / seconds, 1) };
  };

  const hotOrders = await create(Array.from({ length: orders }, () => hotCode));
  const spreadOrders = await create(spreadCodes);
  const spread = await burst(spreadOrders);
  const hot = await burst(hotOrders);
  const [level] = await stack.sql`SELECT s.reserved::text FROM stock_levels s JOIN products p ON p.id = s.product_id WHERE p.code = ${hotCode}`;
  return {
    stock,
    hot: { ...hot, reservedAfter: String(Number(level!.reserved)) },
    spread,
    ratio: round(hot.approvalsPerSecond / spread.approvalsPerSecond, 2),
  };
}

export function latency(sample: number[]) {
  return { p50: round(percentile(sample, 50)), p99: round(percentile(sample, 99)), n: sample.length };
}
