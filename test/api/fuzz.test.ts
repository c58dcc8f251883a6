import { describe, expect, it } from 'vitest';
import { Fuzzer, operations, resolver } from '../support/openapi-fuzz.js';
import { prng } from '../support/random.js';
import { useStack } from '../support/stack.js';

/**
 * Every route of the OpenAPI document, a few thousand generated requests in all:
 * no 5xx, every 4xx names its code and field, and a refused request writes nothing.
 */
const stack = useStack();
const PER_OPERATION = Number(process.env.FUZZ_PER_OPERATION ?? 120);
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 100_000);
const USERS = ['clerk.li', 'manager.wang', 'warehouse.zhao', 'finance.chen'];

async function footprint(): Promise<string> {
  const tables = await stack.sql<{ table_name: string }[]>`
    SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'
      -- the audit trail records refusals on purpose (who tried what, and why it was refused); notifications are
      -- and the chat records (approval_messages) are written by the order workflows on their own schedule
      -- (approval requests, reminders), never by a request
      AND table_name NOT IN ('schema_migrations', 'audit_entries', 'chat_rejections', 'chat_seen_signatures', 'notifications', 'approval_messages') ORDER BY 1`;
  const counts = await Promise.all(
    tables.map(async ({ table_name }) => `${table_name}=${(await stack.sql`SELECT count(*)::int AS n FROM ${stack.sql(table_name)}`)[0]!.n}`),
  );
  const [stock] = await stack.sql`SELECT coalesce(sum(on_hand), 0)::text AS oh, coalesce(sum(reserved), 0)::text AS r FROM stock_levels`;
  return `${counts.join(' ')} stock=${stock!.oh}/${stock!.r}`;
}

/** Work that goes on after the answer (a new order's workflow, a signal): wait until its writes have landed. */
async function settled(): Promise<string> {
  let last = await footprint();
  for (let i = 0; i < 50; i++) {
    await new Promise((r) => setTimeout(r, 100));
    const now = await footprint();
    if (now === last) return now;
    last = now;
  }
  return last;
}

describe('fuzzing every API route from its OpenAPI document', () => {
  it('answers thousands of generated requests without a 5xx, naming the field of every 4xx, writing nothing when it refuses', async () => {
    const doc = (await stack.request('GET', '/openapi.json')).body;
    const ops = operations(doc);
    expect(ops.length).toBeGreaterThanOrEqual(8);

    // Real values to start from, so generated requests also reach the deeper rules.
    const orders: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await stack.request('POST', '/orders', {
        user: 'clerk.li',
        body: { customerCode: 'C0002', lines: [{ productCode: 'P0003', warehouseCode: 'WH-SH', quantity: '5' }] },
      });
      orders.push(res.body.order.number);
    }
    await stack.request('POST', `/orders/${orders[1]}/approve`, { user: 'manager.wang', body: {} });
    const samples = {
      number: orders,
      customerCode: ['C0001', 'C0002', 'C0003'],
      productCode: ['P0001', 'P0002', 'P0003', 'P0004'],
      warehouseCode: ['WH-SH', 'WH-BJ'],
      quantity: ['1', '2.5', '10'],
      unitPrice: ['9.99', '120', '0.5'],
      amount: ['1.00', '50.00', '113.00'],
      lineNo: ['1', '2'],
    };
    const random = prng(SEED);
    const fuzz = new Fuzzer(random, resolver(doc), samples);
    const failures: string[] = [];
    let total = 0;
    let refused = 0;
    let before = await footprint();

    for (const op of ops) {
      for (let i = 0; i < PER_OPERATION; i++) {
        const breakIt = random() < 0.7;
        let path = op.path;
        const query = new URLSearchParams();
        for (const p of op.parameters) {
          const value = breakIt && random() < 0.3 ? fuzz.broken(p.schema, p.name) : fuzz.valid(p.schema, p.name);
          if (p.in === 'path') path = path.replace(`{${p.name}}`, encodeURIComponent(String(value ?? '')));
          else if (p.in === 'query' && (p.required || random() < 0.5) && value !== undefined) query.set(p.name, String(value));
        }
        const body = op.body ? (breakIt ? fuzz.broken(op.body) : fuzz.valid(op.body)) : undefined;
        const user = random() < 0.05 ? undefined : fuzz.pick(USERS);
        const url = query.size ? `${path}?${query}` : path;
        const res = await stack.request(op.method, url, { ...(user ? { user } : { anonymous: true }), ...(body !== undefined ? { body } : {}) });
        total++;
        const label = `${op.method} ${url} ${JSON.stringify(body)?.slice(0, 200)} → ${res.status} ${JSON.stringify(res.body)?.slice(0, 200)}`;
        if (res.status >= 500) failures.push(`5xx: ${label}`);
        if (res.status >= 400 && res.status < 500) {
          refused++;
          const err = res.body?.error;
          if (!err || typeof err.code !== 'string' || typeof err.field !== 'string' || err.field.length === 0) failures.push(`no field: ${label}`);
          const after = await footprint();
          if (after !== before) failures.push(`wrote on refusal: ${label}\n  before ${before}\n  after  ${after}`);
          before = after;
        } else {
          // A command's workflow may go on working after the answer (a new order's checks, a signal, the chat
          // message updated after an approval): wait for it before judging the next request.
          before = op.method !== 'GET' ? await settled() : await footprint();
        }
      }
    }
    console.log(`fuzz (seed ${SEED}): ${total} requests over ${ops.length} operations, ${refused} refused, ${failures.length} failures`);
    expect(failures.slice(0, 10)).toEqual([]);
    expect(total).toBeGreaterThanOrEqual(ops.length * PER_OPERATION);
  }, 600_000);
});
