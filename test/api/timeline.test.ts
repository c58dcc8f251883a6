import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { useStack } from '../support/stack.js';

const stack = useStack();
let completedOrder = '';
let refusedOrder = '';

async function until<T>(probe: () => Promise<T | undefined>, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('GET /orders/:number/timeline', () => {
  it('merges business events and the workflow history, shows a failing activity while it retries, newest last', async () => {
    const created = await stack.request('POST', '/orders', {
      user: 'clerk.li',
      body: { customerCode: 'C0001', lines: [{ productCode: 'P0001', warehouseCode: 'WH-SH', quantity: '2', unitPrice: '120.00' }] },
    });
    expect(created.status).toBe(201);
    const number = created.body.order.number as string;
    completedOrder = number;
    const approved = await stack.request('POST', `/orders/${number}/approve`, { user: 'manager.wang', body: {}, headers: { 'idempotency-key': 'approve-key-0001' } });
    expect(approved.status).toBe(200);
    // Two refusals that never reach the workflow's history: a role that may not deliver, and more than was ordered.
    const forbidden = await stack.request('POST', `/orders/${number}/deliver`, { user: 'clerk.li', body: {} });
    expect([forbidden.status, forbidden.body.error.code]).toEqual([403, 'FORBIDDEN']);
    const over = await stack.request('POST', `/orders/${number}/deliver`, { user: 'warehouse.zhao', body: { lines: [{ lineNo: 1, quantity: '99' }] } });
    expect([over.status, over.body.error.code]).toEqual([422, 'OVER_DELIVERY']);

    // The delivery's activity fails and retries until the failure is lifted. A trigger's own error, not a CHECK:
    // data the database refuses (a CHECK, a NUL byte) fails the step at once, as its retry could not succeed.
    await stack.sql.unsafe(`
      CREATE FUNCTION blocks_deliveries() RETURNS trigger LANGUAGE plpgsql AS
        $$ BEGIN RAISE EXCEPTION 'blocks_deliveries: the carrier is not available'; END $$;
      CREATE TRIGGER blocks_deliveries BEFORE INSERT ON delivery_notes FOR EACH ROW
        WHEN (NEW.carrier = 'SF Express') EXECUTE FUNCTION blocks_deliveries()`);
    const delivering = stack.request('POST', `/orders/${number}/deliver`, { user: 'warehouse.zhao', body: { carrier: 'SF Express', trackingNumber: 'SF1' } });
    const retrying = await until(async () => {
      const t = await stack.request('GET', `/orders/${number}/timeline`);
      // While an attempt runs, Temporal has no next retry time; between attempts it has one, and the timeline shows it.
      return t.body.events?.find((e: { kind: string; details: { attempt: number; nextRetryAt?: string } }) =>
        e.kind === 'activity.retrying' && e.details.attempt >= 2 && e.details.nextRetryAt !== undefined);
    });
    expect(retrying.summary).toContain('issueDeliveryNote');
    expect(retrying.details.lastFailure.message).toContain('blocks_deliveries');
    expect(Date.parse(retrying.details.nextRetryAt)).toBeGreaterThan(Date.parse(retrying.at));
    await stack.sql.unsafe('DROP TRIGGER blocks_deliveries ON delivery_notes; DROP FUNCTION blocks_deliveries()');
    expect((await delivering).status).toBe(200);
    // The delivery keeps the cost price of the moment for the gross margin report.
    const [line] = await stack.sql`SELECT unit_cost::text FROM delivery_note_lines dl JOIN delivery_notes d ON d.id = dl.delivery_note_id
                                   JOIN sales_orders o ON o.id = d.order_id WHERE o.number = ${number}`;
    expect(line!.unit_cost).toBe('80.000000');

    expect((await stack.request('POST', `/orders/${number}/invoice`, { user: 'finance.chen', body: {} })).status).toBe(200);
    const paid = await stack.request('POST', `/orders/${number}/receipts`, { user: 'finance.chen', body: { amount: '271.20', method: 'cash' } });
    expect(paid.status).toBe(200);
    await stack.client.workflow.getHandle(`order-${number}`).result();

    const res = await stack.request('GET', `/orders/${number}/timeline?detail=full`);
    expect(res.status).toBe(200);
    const t = res.body;
    expect(t.workflowStatus).toBe('COMPLETED');
    expect(t.runs).toHaveLength(1);
    const times = t.events.map((e: { at: string }) => Date.parse(e.at));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    const kinds = t.events.map((e: { kind: string }) => e.kind);
    expect(kinds[0]).toBe('order.created');
    expect(kinds).not.toContain('activity.retrying');
    const one = (kind: string, extra: (e: any) => boolean = () => true) => t.events.filter((e: any) => e.kind === kind && extra(e));

    expect(one('order.created')[0]).toMatchObject({ actor: 'clerk.li', source: 'business' });
    expect(one('order.approved')[0]).toMatchObject({ actor: 'manager.wang' });
    expect(one('stock.reserved')[0]).toMatchObject({ summary: 'reserved 2 P0001 in WH-SH', actor: 'manager.wang' });
    expect(one('delivery.issued')[0]).toMatchObject({ actor: 'warehouse.zhao', details: { lines: [{ orderLineNo: 1, quantity: '2' }], carrier: 'SF Express' } });
    // 2 × 120.00 = 240.00 net + 31.20 tax.
    expect(one('invoice.issued')[0]).toMatchObject({ actor: 'finance.chen', details: { gross: '271.20' } });
    expect(one('receipt.recorded')[0]).toMatchObject({ actor: 'finance.chen', details: { amount: '271.20', method: 'cash' } });

    expect(one('update.accepted', (e) => e.details.command === 'approve')[0]).toMatchObject({ actor: 'manager.wang', updateId: expect.stringContaining('approve-key-0001') });
    expect(one('update.completed', (e) => e.details.command === 'approve')[0]).toMatchObject({ updateId: expect.stringContaining('approve-key-0001') });
    expect(one('update.completed').map((e: any) => e.details.command)).toEqual(['approve', 'deliver', 'invoice', 'recordReceipt']);
    const started = one('activity.started', (e) => e.details.activity === 'issueDeliveryNote')[0];
    expect(started.details.attempt).toBeGreaterThanOrEqual(2);
    expect(started.details.lastFailure.message).toContain('blocks_deliveries');
    const completed = one('activity.completed', (e) => e.details.activity === 'issueDeliveryNote')[0];
    expect(completed.details.durationMs).toBeGreaterThan(400);
    expect(kinds.at(-1)).toBe('workflow.completed');
    expect(t.events.at(-1).details.status).toBe('Completed');
    // The workflow names what each timer waits for: the approval reminder while it waits, the invoice's due date.
    const timers = one('timer.started').map((e: any) => e.details.name);
    expect(timers[0]).toBe('approval reminder');
    expect(timers).toContain(`payment due: invoice ${one('invoice.issued')[0].document}`);
  });

  it('folds the history into one row a step: a simple order tells its story in a few rows, refusals and who tried them included', async () => {
    const full = (await stack.request('GET', `/orders/${completedOrder}/timeline?detail=full`)).body.events;
    const res = await stack.request('GET', `/orders/${completedOrder}/timeline`);
    expect(res.status).toBe(200);
    const events = res.body.events as { at: string; kind: string; actor?: string | null; summary: string; details?: any }[];
    // Created, approved, two refusals, delivered with a retry, invoiced, paid: the unfolded history has twice as many rows.
    expect(events.length).toBeLessThanOrEqual(30);
    expect(full.length).toBeGreaterThan(events.length + 15);
    const kinds = events.map((e) => e.kind);
    expect(kinds).not.toContain('activity.scheduled');
    expect(kinds).not.toContain('activity.started');
    expect(kinds).not.toContain('update.accepted');
    const times = events.map((e) => Date.parse(e.at));
    expect(times).toEqual([...times].sort((a, b) => a - b));

    const refused = events.filter((e) => e.kind === 'command.refused').map((e) => [e.actor, e.details.command, e.details.code]);
    expect(refused).toEqual([
      ['clerk.li', 'deliver', 'FORBIDDEN'],
      ['warehouse.zhao', 'deliver', 'OVER_DELIVERY'],
    ]);
    expect(events.find((e) => e.details?.code === 'FORBIDDEN')!.summary).toMatch(/^clerk\.li \(clerk\) tried deliver: refused with FORBIDDEN: role clerk may not deliver/);

    const commands = events.filter((e) => e.kind === 'update.completed').map((e) => [e.details.command, e.actor]);
    expect(commands).toEqual([
      ['approve', 'manager.wang'],
      ['deliver', 'warehouse.zhao'],
      ['invoice', 'finance.chen'],
      ['recordReceipt', 'finance.chen'],
    ]);
    // The delivery's step is one row with its outcome, duration and the failure its retries got past.
    const delivery = events.filter((e) => e.kind === 'activity.completed' && e.details.activity === 'issueDeliveryNote');
    expect(delivery).toHaveLength(1);
    expect(delivery[0]!.summary).toMatch(/^step issue delivery note: done in \d+ ms after \d+ attempts \(before: .*blocks_deliveries/);
    expect(delivery[0]!.details.durationMs).toBeGreaterThan(400);
    // The timers the order re-armed when it was approved and paid waited for nothing that happened.
    expect(kinds).not.toContain('timer.cancelled');
  });

  it('prints the same timeline in the terminal with the Temporal Web UI link (npm run order:inspect)', async () => {
    const env = {
      ...process.env,
      DATABASE_URL: stack.databaseUrl,
      TEMPORAL_ADDRESS: stack.temporalAddress,
      TEMPORAL_UI_URL: 'http://127.0.0.1:8233',
    };
    const { stdout } = await promisify(execFile)('npx', ['tsx', 'scripts/inspect-order.ts', completedOrder], { env });
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(`Order ${completedOrder}   workflow order-${completedOrder}   status COMPLETED   runs 1`);
    expect(lines[1]).toBe(`Temporal Web UI: http://127.0.0.1:8233/namespaces/default/workflows/order-${completedOrder}`);
    const body = lines.slice(4);
    expect(body[0]).toMatch(/^\S+Z\s+business\s+order\.created\s+clerk\.li\s+order .* created for C0001, 271\.20 CNY$/);
    expect(body.find((l) => l.includes('update.completed') && l.includes('approve'))).toMatch(/manager\.wang .*command approve by manager\.wang completed\s+\[update \S*approve-key-0001\S* #\d+\]$/);
    expect(body.find((l) => l.includes('command.refused'))).toMatch(/clerk\.li\s+clerk\.li \(clerk\) tried deliver: refused with FORBIDDEN/);
    expect(body.at(-1)).toMatch(/workflow\s+workflow\.completed\s+workflow completed \(order Completed\)/);
    const api = await stack.request('GET', `/orders/${completedOrder}/timeline`);
    expect(body).toHaveLength(api.body.events.length);
  });

  it('order:inspect works beside npm start with no variables (what the start wrote in .data/dev-env.json), and --full unfolds', async () => {
    const file = '.data/dev-env.json';
    const saved = existsSync(file) ? readFileSync(file) : undefined;
    mkdirSync('.data', { recursive: true });
    writeFileSync(file, JSON.stringify({ DATABASE_URL: stack.databaseUrl, TEMPORAL_ADDRESS: stack.temporalAddress, TEMPORAL_UI_URL: 'http://127.0.0.1:8233' }));
    try {
      const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(DATABASE_URL|TEMPORAL_)/.test(k)));
      const inspect = async (...args: string[]) => (await promisify(execFile)('npx', ['tsx', 'scripts/inspect-order.ts', completedOrder, ...args], { env })).stdout.trimEnd().split('\n');
      const steps = await inspect();
      expect(steps[1]).toBe(`Temporal Web UI: http://127.0.0.1:8233/namespaces/default/workflows/order-${completedOrder}`);
      const full = await inspect('--full');
      expect(full.filter((l) => /activity\.scheduled/.test(l)).length).toBeGreaterThanOrEqual(4);
      expect(steps.filter((l) => /activity\.scheduled/.test(l))).toEqual([]);
      // Linking a chat account beside npm start needs no variables either.
      const linked = await promisify(execFile)('npx', ['tsx', 'scripts/link-chat-user.ts', '--platform', 'slack', '--chat-user', 'U_BESIDE_START', '--user', 'manager.wang'], { env });
      expect(linked.stdout.trim()).toBe('slack U_BESIDE_START → manager.wang (approver)');
    } finally {
      if (saved) writeFileSync(file, saved);
      else rmSync(file);
    }
  });

  it('shows no command sent to an order number before the order had it (timeline and audit)', async () => {
    const lines = [{ productCode: 'P0001', warehouseCode: 'WH-SH', quantity: '1', unitPrice: '10.00' }];
    const before = (await stack.request('POST', '/orders', { user: 'clerk.li', body: { customerCode: 'C0001', lines } })).body.order.number as string;
    // Numbers are handed out in order: the next one can be guessed and aimed at before it exists.
    const next = before.replace(/\d+$/, (n) => String(Number(n) + 1).padStart(n.length, '0'));
    const planted = await stack.request('POST', `/orders/${next}/approve`, { user: 'clerk.li', body: {} });
    expect([planted.status, planted.body.error.code]).toEqual([403, 'FORBIDDEN']);
    const missing = await stack.request('POST', `/orders/${next}/deliver`, { user: 'warehouse.zhao', body: { carrier: 'EVIL-PRECREATE' } });
    expect([missing.status, missing.body.error.code]).toEqual([404, 'NOT_FOUND']);
    const created = await stack.request('POST', '/orders', { user: 'clerk.li', body: { customerCode: 'C0001', lines } });
    expect(created.body.order.number).toBe(next);
    // A refusal while the order exists is the order's.
    expect((await stack.request('POST', `/orders/${next}/approve`, { user: 'clerk.li', body: {} })).status).toBe(403);

    for (const detail of ['', '?detail=full']) {
      const t = await stack.request('GET', `/orders/${next}/timeline${detail}`);
      expect(t.body.events[0].kind).toBe('order.created');
      expect(JSON.stringify(t.body)).not.toContain('EVIL-PRECREATE');
      const refused = t.body.events.filter((e: any) => e.kind === 'command.refused');
      expect(refused.map((e: any) => [e.actor, e.details.command, e.details.code])).toEqual([['clerk.li', 'approve', 'FORBIDDEN']]);
      expect(Date.parse(refused[0].at)).toBeGreaterThanOrEqual(Date.parse(t.body.events[0].at));
    }
    const audit = await stack.request('GET', `/orders/${next}/audit`, { user: 'admin.root' });
    expect(audit.body.items.map((r: any) => [r.actor, r.command, r.outcome])).toEqual([
      ['clerk.li', 'create', 'ok'],
      ['clerk.li', 'approve', 'FORBIDDEN'],
    ]);
    expect(audit.body.total).toBe(2);
    refusedOrder = next;
  });

  it('folds a flood of refused commands into one row with its count, caps the full view and bounds what it reads', async () => {
    const number = refusedOrder;
    // The order's approval request is a timeline row of its own; once it is written, the flood below is one run.
    for (const deadline = Date.now() + 20_000; ; ) {
      const [sent] = await stack.sql`SELECT 1 FROM notifications WHERE order_number = ${number} AND kind = 'approval_request'`;
      if (sent) break;
      if (Date.now() > deadline) throw new Error(`no approval request recorded for ${number}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    for (let i = 0; i < 11; i++) {
      const batch = await Promise.all(
        Array.from({ length: 10 }, () => stack.request('POST', `/orders/${number}/approve`, { user: 'warehouse.zhao', body: {} })),
      );
      expect(batch.map((r) => r.status)).toEqual(Array(10).fill(403));
    }
    const steps = (await stack.request('GET', `/orders/${number}/timeline`)).body.events as any[];
    const refused = steps.filter((e) => e.kind === 'command.refused');
    // The clerk's one refusal came before, on its own; the 110 by warehouse.zhao are one row.
    expect(refused.map((e) => [e.actor, e.details.count])).toEqual([['clerk.li', undefined], ['warehouse.zhao', 110]]);
    const flood = refused[1];
    expect(flood.summary).toMatch(/^warehouse\.zhao \(warehouse\) tried approve: refused 110 times between \S+ and \S+ with FORBIDDEN/);
    expect(Date.parse(flood.details.lastAt)).toBeGreaterThanOrEqual(Date.parse(flood.details.firstAt));
    expect(steps.map((e) => e.kind)).not.toContain('command.refused.omitted');

    const full = (await stack.request('GET', `/orders/${number}/timeline?detail=full`)).body.events as any[];
    expect(full.filter((e) => e.kind === 'command.refused')).toHaveLength(100);
    expect(full.filter((e) => e.kind === 'command.refused.omitted').map((e) => e.details.count)).toEqual([11]);

    // Past what a timeline reads from the audit (500 refusals), the rest is counted, not read.
    await stack.sql`
      INSERT INTO audit_entries (actor, actor_role, channel, command, order_number, input, outcome, message)
      SELECT 'warehouse.zhao', 'warehouse', 'api', 'approve', ${number}, ${JSON.stringify({ pad: 'x'.repeat(1000) })}::jsonb, 'FORBIDDEN', 'role warehouse may not approve'
      FROM generate_series(1, 600)`;
    const big = await stack.request('GET', `/orders/${number}/timeline`);
    const read = (big.body.events as any[]).filter((e) => e.kind.startsWith('command.refused'));
    expect(read.map((e) => [e.kind, e.details.count])).toEqual([
      ['command.refused', undefined],
      ['command.refused', 499],
      ['command.refused.omitted', 211],
    ]);
    const fullBig = await stack.request('GET', `/orders/${number}/timeline?detail=full`);
    expect(fullBig.body.events.filter((e: any) => e.kind === 'command.refused.omitted').map((e: any) => e.details.count)).toEqual([611]);
    expect(JSON.stringify(fullBig.body).length).toBeLessThan(400_000);
  });

  it('answers 404 for an order that does not exist', async () => {
    const res = await stack.request('GET', `/orders/${stack.orderPrefix}-20260101-9999/timeline`);
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('NOT_FOUND');
  });
});
