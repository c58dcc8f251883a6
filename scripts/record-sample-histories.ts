import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { createApp } from '../api/app.js';
import { devToken, seedDemoUsers } from '../api/auth/demo-users.js';
import { fetchWorkflowRuns } from '../api/timeline/workflow-history.js';
import { createSql } from '../db/client.js';
import { migrate } from '../db/migrate.js';
import { seedDemoData } from '../db/seed.js';
import { ensureDatabase, startEmbeddedPostgres } from '../runtime/dev/postgres.js';
import { startTemporalDevServer } from '../runtime/dev/temporal.js';
import { historyToJson } from '../runtime/history-json.js';
import { createWorker } from '../runtime/worker.js';
import { bankPaymentNoticeSignal, ORDER_PROCESS_VERSION, orderStateQuery, orderWorkflowId } from '../workflows/sales-order/definitions.js';
import { freePort } from '../runtime/dev/ports.js';

/**
 * `npm run histories:samples`: records the sample histories the replay test
 * replays (test/histories/), from orders driven through the real API, worker,
 * Temporal dev server and Postgres on a throw-away stack. Run it again when a
 * change to the workflow is meant to change its history (and say so in the commit).
 * Files are named by the order process version they ran (`plain-order.v2.json`),
 * so a new version's samples sit beside the old ones, which must keep replaying
 * while orders of the old version still run.
 */
const OUT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../test/histories');

async function main() {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'sales-histories-'));
  chmodSync(tmp, 0o755);
  const pg = await startEmbeddedPostgres({ dir: path.join(tmp, 'pg'), port: await freePort(), persistent: false });
  const temporal = await startTemporalDevServer({ port: await freePort(), uiPort: await freePort(), dbFile: path.join(tmp, 'temporal.db') });
  await ensureDatabase(pg.url('postgres'), 'samples');
  const sql = createSql(pg.url('samples'));
  const stops: (() => Promise<unknown>)[] = [() => pg.stop(), () => temporal.stop(), () => sql.end()];
  try {
    await migrate(sql);
    await seedDemoData(sql);
    await seedDemoUsers(sql);
    // A collection "day" lasts one second here, reminders 1 and 2 days after the due date.
    await sql`UPDATE company_settings SET value = '1' WHERE key = 'collection.day_seconds'`;
    await sql`UPDATE company_settings SET value = '[1, 2]' WHERE key = 'collection.dunning_days'`;
    await sql`INSERT INTO customers (code, name, settlement_terms, settlement_days) VALUES ('C0901', 'Slow payer', 'cash', 0)`;

    const nativeConnection = await NativeConnection.connect({ address: temporal.address });
    const worker = await createWorker({ connection: nativeConnection, namespace: 'default', taskQueue: 'samples', sql, business: { BUSINESS_TIME_ZONE: 'Asia/Shanghai' } });
    const running = worker.run();
    stops.unshift(async () => {
      worker.shutdown();
      await running;
      await nativeConnection.close();
    });
    const client = new Client({ connection: await Connection.connect({ address: temporal.address }) });
    stops.unshift(() => client.connection.close());
    const base = { sql, temporal: client, taskQueue: 'samples', timeZone: 'Asia/Shanghai' };
    const app = createApp({ ...base, orderWorkflow: { approvalReminderAfterMs: 1000, approvalEscalationAfterMs: 1000 } });
    const longLived = createApp({ ...base, orderWorkflow: { continueAsNewAfterEvents: 30 } });

    const call = async (a: typeof app, method: string, url: string, user: string, body: unknown = {}) => {
      const res = await a.request(url, {
        method,
        headers: { authorization: `Bearer ${devToken(user)}`, 'content-type': 'application/json' },
        ...(method === 'GET' ? {} : { body: JSON.stringify(body) }),
      });
      const json = (await res.json()) as any;
      if (res.status >= 300) throw new Error(`${method} ${url} → ${res.status} ${JSON.stringify(json)}`);
      return json;
    };
    const order = async (a: typeof app, customerCode: string, lines: unknown[]) =>
      (await call(a, 'POST', '/orders', 'clerk.li', { customerCode, lines })).order.number as string;
    const finished = (n: string) => client.workflow.getHandle(orderWorkflowId(n)).result();
    const waitUntil = async (probe: () => Promise<boolean>) => {
      for (let i = 0; i < 200 && !(await probe()); i++) await new Promise((r) => setTimeout(r, 100));
    };
    const samples: [string, string][] = [];

    // 1. The plain order: approve, two deliveries, invoice, receipt, completed.
    const plain = await order(app, 'C0002', [{ productCode: 'P0003', warehouseCode: 'WH-SH', quantity: '3', unitPrice: '33.333' }]);
    await call(app, 'POST', `/orders/${plain}/approve`, 'manager.wang');
    await call(app, 'POST', `/orders/${plain}/deliver`, 'warehouse.zhao', { lines: [{ lineNo: 1, quantity: '1' }], carrier: 'SF Express' });
    await call(app, 'POST', `/orders/${plain}/deliver`, 'warehouse.zhao', {});
    const inv = await call(app, 'POST', `/orders/${plain}/invoice`, 'finance.chen');
    await call(app, 'POST', `/orders/${plain}/receipts`, 'finance.chen', { amount: inv.gross, method: 'bank_transfer' });
    await finished(plain);
    samples.push([plain, 'plain-order']);

    // 2. The order's life: reminder and escalation, two approvals (under the floor), a shipping notice with its
    //    quality re-check, a delivery from it, a line closed by hand, invoice and receipt.
    const life = await order(app, 'C0001', [
      { productCode: 'P0001', warehouseCode: 'WH-SH', quantity: '4', unitPrice: '90.00' },
      { productCode: 'P0003', warehouseCode: 'WH-BJ', quantity: '20' },
    ]);
    await waitUntil(async () => (await sql`SELECT 1 FROM notifications WHERE order_number = ${life} AND kind = 'approval_escalation'`).length > 0);
    await call(app, 'POST', `/orders/${life}/approve`, 'manager.wang');
    await call(app, 'POST', `/orders/${life}/approve`, 'credit.sun');
    const notice = await call(app, 'POST', `/orders/${life}/shipping-notices`, 'warehouse.zhao', { requiresQualityCheck: true, lines: [{ lineNo: 1 }] });
    await call(app, 'POST', `/orders/${life}/quality-checks`, 'warehouse.zhao', { noticeNumber: notice.shippingNotice, result: 'pass', checkedOn: '2026-11-23' });
    await call(app, 'POST', `/orders/${life}/deliver`, 'warehouse.zhao', { noticeNumber: notice.shippingNotice });
    await call(app, 'POST', `/orders/${life}/deliver`, 'warehouse.zhao', { lines: [{ lineNo: 2, quantity: '5' }] });
    await call(app, 'POST', `/orders/${life}/close-line`, 'clerk.li', { lineNo: 2 });
    const lifeInv = await call(app, 'POST', `/orders/${life}/invoice`, 'finance.chen');
    await call(app, 'POST', `/orders/${life}/receipts`, 'finance.chen', { amount: lifeInv.gross, method: 'cash' });
    await finished(life);
    samples.push([life, 'order-life']);

    // 3. Collection: overdue at once (cash terms), two dunning reminders, then a bad debt written off.
    const dunned = await order(app, 'C0901', [{ productCode: 'P0003', warehouseCode: 'WH-SH', quantity: '10', unitPrice: '10' }]);
    await call(app, 'POST', `/orders/${dunned}/approve`, 'manager.wang');
    await call(app, 'POST', `/orders/${dunned}/deliver`, 'warehouse.zhao', {});
    await call(app, 'POST', `/orders/${dunned}/invoice`, 'finance.chen');
    await waitUntil(async () => (await sql`SELECT 1 FROM notifications WHERE order_number = ${dunned} AND kind = 'dunning'`).length >= 2);
    const writeOff = await call(app, 'POST', `/orders/${dunned}/write-offs`, 'finance.chen', { reason: 'customer insolvent' });
    await call(app, 'POST', `/orders/${dunned}/write-offs/${writeOff.id}/approve`, 'director.liu');
    await finished(dunned);
    samples.push([dunned, 'dunning-and-write-off']);

    // 4. A long-lived order that continues as new (every 30 events here) with money open: each invoice turns
    //    overdue at once (cash terms) and reminds across the runs, a bank notice with a zero amount is refused,
    //    and the order completes in a later run when it is paid late.
    const long = await order(longLived, 'C0901', [1, 2, 3].map(() => ({ productCode: 'P0003', warehouseCode: 'WH-SH', quantity: '4', unitPrice: '5' })));
    await call(longLived, 'POST', `/orders/${long}/approve`, 'manager.wang');
    for (const lineNo of [1, 2, 3]) {
      await call(longLived, 'POST', `/orders/${long}/deliver`, 'warehouse.zhao', { lines: [{ lineNo, quantity: '2' }] });
      await call(longLived, 'POST', `/orders/${long}/deliver`, 'warehouse.zhao', { lines: [{ lineNo }] });
      await call(longLived, 'POST', `/orders/${long}/invoice`, 'finance.chen');
    }
    await waitUntil(async () => (await sql`SELECT 1 FROM notifications WHERE order_number = ${long} AND kind = 'dunning'`).length >= 6);
    await client.workflow.getHandle(orderWorkflowId(long)).signal(bankPaymentNoticeSignal, { noticeId: `BN-${long}-0`, amount: '0.00' });
    const due = (await client.workflow.getHandle(orderWorkflowId(long)).query(orderStateQuery)).amountDue;
    await call(longLived, 'POST', `/orders/${long}/receipts`, 'finance.chen', { amount: due, method: 'bank_transfer' });
    await finished(long);
    samples.push([long, 'continued-as-new']);

    // 5. Changes and returns: a change that raises the amount and is approved, one that applies at once, a
    //    delivery, a return redelivered, the invoice, an allowance (credit note) and the receipt of the rest.
    const changed = await order(app, 'C0002', [{ productCode: 'P0003', warehouseCode: 'WH-SH', quantity: '10', unitPrice: '3.50' }]);
    await call(app, 'POST', `/orders/${changed}/approve`, 'manager.wang');
    const raise = await call(app, 'POST', `/orders/${changed}/changes`, 'clerk.li', { reason: 'customer wants 12', lines: [{ action: 'change', lineNo: 1, quantity: '12' }] });
    await call(app, 'POST', `/orders/${changed}/changes/${raise.change.version}/approve`, 'manager.wang');
    await call(app, 'POST', `/orders/${changed}/changes`, 'clerk.li', { reason: 'later date', lines: [{ action: 'change', lineNo: 1, expectedDeliveryDate: '2026-12-15' }] });
    const shipped = await call(app, 'POST', `/orders/${changed}/deliver`, 'warehouse.zhao', {});
    await call(app, 'POST', `/orders/${changed}/returns`, 'warehouse.zhao', {
      deliveryNote: shipped.deliveryNote,
      warehouseCode: 'WH-BJ',
      disposition: 'redeliver',
      reason: 'two reels damaged',
      lines: [{ lineNo: 1, quantity: '2' }],
    });
    await call(app, 'POST', `/orders/${changed}/deliver`, 'warehouse.zhao', {});
    await call(app, 'POST', `/orders/${changed}/invoice`, 'finance.chen');
    const allowed = await call(app, 'POST', `/orders/${changed}/allowances`, 'clerk.li', { reason: 'late delivery', lines: [{ lineNo: 1, amount: '2.00' }] });
    await call(app, 'POST', `/orders/${changed}/receipts`, 'finance.chen', { amount: allowed.order.amountDue, method: 'bank_transfer' });
    await finished(changed);
    samples.push([changed, 'change-and-return']);

    // 6. A draft (草稿): edited before approval, rejected (its workflow ends), revised (the workflow starts again from
    //    its state with the edit: a second run), approved, delivered, invoiced and paid.
    const draft = await order(app, 'C0002', [{ productCode: 'P0003', warehouseCode: 'WH-SH', quantity: '5', unitPrice: '3.50' }]);
    await call(app, 'POST', `/orders/${draft}/draft`, 'clerk.li', { lines: [{ productCode: 'P0003', warehouseCode: 'WH-SH', quantity: '8', unitPrice: '3.00' }] });
    await call(app, 'POST', `/orders/${draft}/reject`, 'manager.wang', { reason: 'price too low' });
    await finished(draft);
    await call(app, 'POST', `/orders/${draft}/draft`, 'clerk.li', { lines: [{ productCode: 'P0003', warehouseCode: 'WH-SH', quantity: '8', unitPrice: '3.50' }] });
    await call(app, 'POST', `/orders/${draft}/approve`, 'manager.wang');
    await call(app, 'POST', `/orders/${draft}/deliver`, 'warehouse.zhao', {});
    const draftInv = await call(app, 'POST', `/orders/${draft}/invoice`, 'finance.chen');
    await call(app, 'POST', `/orders/${draft}/receipts`, 'finance.chen', { amount: draftInv.gross, method: 'bank_transfer' });
    await waitUntil(async () => (await client.workflow.getHandle(orderWorkflowId(draft)).describe()).status.name === 'COMPLETED');
    samples.push([draft, 'draft-revised']);

    mkdirSync(OUT, { recursive: true });
    for (const [number, name] of samples) {
      const runs = await fetchWorkflowRuns(client, orderWorkflowId(number));
      const version = `.v${ORDER_PROCESS_VERSION}`;
      for (const [i, run] of runs.entries()) {
        const file = path.join(OUT, runs.length === 1 ? `${name}${version}.json` : `${name}${version}.run${i + 1}.json`);
        writeFileSync(file, historyToJson({ events: run.events }) + '\n');
        console.log(`wrote ${path.relative(process.cwd(), file)} (${run.events.length} events)`);
      }
    }
  } finally {
    for (const stop of stops) await stop().catch(() => undefined);
    rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
