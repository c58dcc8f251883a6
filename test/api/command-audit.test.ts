import { describe, expect, it } from 'vitest';
import { stockOf } from '../support/ledger.js';
import { operations } from '../support/openapi-fuzz.js';
import { useStack } from '../support/stack.js';

const stack = useStack();
const line = { productCode: 'P0001', warehouseCode: 'WH-SH', quantity: '2', unitPrice: '120.00' };

async function createOrder(user = 'clerk.li'): Promise<string> {
  const res = await stack.request('POST', '/orders', { user, body: { customerCode: 'C0001', lines: [line] } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.order.number as string;
}

const lastAuditId = async () => (await stack.sql<{ id: string }[]>`SELECT coalesce(max(id), 0)::text AS id FROM audit_entries`)[0]!.id;
const auditSince = (id: string) =>
  stack.sql<{ actor: string; command: string; path: string; order_number: string | null; input: unknown; outcome: string; message: string | null }[]>`
    SELECT actor, command, path, order_number, input, outcome, message FROM audit_entries WHERE id > ${id} ORDER BY id`;
const statusOf = async (number: string) => (await stack.request('GET', `/orders/${number}`)).body.order.status as string;

/** A value for each path parameter the API has: an order that does not exist, a code, an id, a kind. */
const PATH_VALUES: Record<string, (prefix: string) => string> = {
  number: (prefix) => `${prefix}-20260101-9999`,
  code: () => 'NO-SUCH-CODE',
  id: () => '999999',
  documentType: () => 'sales_order',
  kind: () => 'customers',
  version: () => '0001',
  name: () => 'no.such.user',
};

describe('every write route is audited (操作留痕)', () => {
  it('leaves exactly one audit row, with its outcome, for every POST, PUT, PATCH and DELETE in /openapi.json', async () => {
    const doc = (await stack.request('GET', '/openapi.json')).body;
    const writes = operations(doc).filter((op) => op.method !== 'GET');
    expect(writes.length).toBeGreaterThan(40);
    for (const op of writes) {
      const path = op.path.replace(/\{(\w+)\}/g, (_, name: string) => {
        const value = PATH_VALUES[name];
        if (!value) throw new Error(`no test value for path parameter ${name} of ${op.path}`);
        return value(stack.orderPrefix);
      });
      const before = await lastAuditId();
      const csv = op.path.startsWith('/import/');
      const res = await stack.request(op.method, path, {
        ...(op.method === 'DELETE' ? {} : { body: csv ? 'code,name\n' : {} }),
        ...(csv ? { headers: { 'content-type': 'text/csv' } } : {}),
      });
      expect(res.status, `${op.method} ${path}: ${JSON.stringify(res.body)}`).toBeLessThan(500);
      const rows = await auditSince(before);
      expect(rows, `${op.method} ${op.path}`).toHaveLength(1);
      expect(rows[0], `${op.method} ${op.path}`).toMatchObject({ actor: 'admin.root', path });
      expect(rows[0]!.outcome).toBe(res.status < 400 ? 'ok' : res.body.error.code);
    }
  });

  it('names an order command by its verb and its order, and keeps only the validated input', async () => {
    const number = await createOrder();
    const before = await lastAuditId();
    const res = await stack.request('POST', `/orders/${number}/reject`, {
      user: 'manager.wang',
      body: { reason: 'price too low', unknownField: 'never stored', nested: { deep: [1, 2, 3] } },
    });
    expect(res.status, JSON.stringify(res.body)).toBeLessThan(500);
    const [row] = await auditSince(before);
    expect(row).toMatchObject({ actor: 'manager.wang', command: 'reject', order_number: number });
    if (res.status === 200) expect(row!.input).toEqual({ reason: 'price too low' });
    else expect(row!.input).toEqual({});
  });

  it('audits a refusal (wrong role, bad input) and a request to no route leaves no row', async () => {
    const number = await createOrder();
    const before = await lastAuditId();
    expect((await stack.request('POST', `/orders/${number}/approve`, { user: 'clerk.li', body: {} })).status).toBe(403);
    expect((await stack.request('POST', `/orders/${number}/deliver`, { user: 'warehouse.zhao', body: { lines: 'x' } })).status).toBe(400);
    expect((await stack.request('POST', '/no-such-route', { body: {} })).status).toBe(404);
    expect((await stack.request('GET', `/orders/${number}`)).status).toBe(200);
    expect((await auditSince(before)).map((r) => [r.actor, r.command, r.outcome])).toEqual([
      ['clerk.li', 'approve', 'FORBIDDEN'],
      ['warehouse.zhao', 'deliver', 'VALIDATION_FAILED'],
    ]);
  });
});

describe('no command takes effect without its audit row', () => {
  it('refuses the command with 503 when the intent cannot be written: the order stays Unapproved, nothing is reserved', async () => {
    const number = await createOrder();
    const reservedBefore = (await stockOf(stack.sql, 'P0001', 'WH-SH'))!.reserved;
    await stack.sql`CREATE FUNCTION refuse_audit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit refused by the test'; END $$`;
    await stack.sql`CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_entries FOR EACH ROW EXECUTE FUNCTION refuse_audit()`;
    try {
      const res = await stack.request('POST', `/orders/${number}/approve`, { user: 'manager.wang', body: {} });
      expect([res.status, res.body.error.code]).toEqual([503, 'UNAVAILABLE']);
      const created = await stack.request('POST', '/orders', { user: 'clerk.li', body: { customerCode: 'C0001', lines: [line] } });
      expect(created.status).toBe(503);
    } finally {
      await stack.sql`DROP TRIGGER refuse_audit ON audit_entries`;
    }
    expect(await statusOf(number)).toBe('Unapproved');
    expect((await stockOf(stack.sql, 'P0001', 'WH-SH'))!.reserved).toBe(reservedBefore);
    // Nothing is wedged: the same command goes through once the audit can be written.
    expect((await stack.request('POST', `/orders/${number}/approve`, { user: 'manager.wang', body: {} })).status).toBe(200);
  });

  it('a failed outcome write does not turn a command that was done into an error', async () => {
    const number = await createOrder();
    const before = await lastAuditId();
    await stack.sql`CREATE FUNCTION refuse_audit_update() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'outcome refused by the test'; END $$`;
    await stack.sql`CREATE TRIGGER refuse_audit_update BEFORE UPDATE ON audit_entries FOR EACH ROW EXECUTE FUNCTION refuse_audit_update()`;
    try {
      expect((await stack.request('POST', `/orders/${number}/approve`, { user: 'manager.wang', body: {} })).status).toBe(200);
    } finally {
      await stack.sql`DROP TRIGGER refuse_audit_update ON audit_entries`;
    }
    expect(await statusOf(number)).toBe('Approved');
    expect((await auditSince(before)).map((r) => [r.command, r.outcome])).toEqual([['approve', 'pending']]);
  });

  it('a NUL byte or a deep nesting in a field the API ignores never answers 500 after the command took effect', async () => {
    // Sent as text: nested this deep, JSON.stringify itself would overflow the stack.
    const deep = `{"deep":${'{"d":'.repeat(5000)}"bottom"${'}'.repeat(5000)}}`;
    for (const body of [JSON.stringify({ note: 'a\u0000b' }), JSON.stringify({ 'k\u0000': 1 }), deep]) {
      const number = await createOrder();
      const before = await lastAuditId();
      const res = await stack.request('POST', `/orders/${number}/approve`, { user: 'manager.wang', body });
      expect(res.status).not.toBe(500);
      const rows = await auditSince(before);
      expect(rows).toHaveLength(1);
      if (res.status === 200) {
        expect([rows[0]!.outcome, await statusOf(number)]).toEqual(['ok', 'Approved']);
      } else {
        expect(res.status).toBeGreaterThanOrEqual(400);
        expect([rows[0]!.outcome, await statusOf(number)]).toEqual([res.body.error.code, 'Unapproved']);
      }
    }
  });
});

describe('GET /audit', () => {
  it('shows admins every command, filtered by command and actor; others are refused', async () => {
    await stack.request('POST', '/customers', { user: 'clerk.li', body: { code: 'AUD-1', name: 'Audited customer' } });
    const res = await stack.request('GET', `/audit?command=${encodeURIComponent('POST /customers')}&actor=clerk.li`, { user: 'admin.root' });
    expect(res.status).toBe(200);
    expect(res.body.items[0]).toMatchObject({ actor: 'clerk.li', command: 'POST /customers', path: '/customers', input: { code: 'AUD-1' } });
    expect(res.body.items.every((e: { actor: string }) => e.actor === 'clerk.li')).toBe(true);
    expect((await stack.request('GET', '/audit', { user: 'clerk.li' })).status).toBe(403);
  });
});
