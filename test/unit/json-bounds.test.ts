import { dec } from '../../domain/decimal.js';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createSql, type Sql } from '../../db/client.js';
import { boundedJson, RECORD_LIMITS, storableJson } from '../../db/json.js';
import { DomainError } from '../../domain/errors.js';

function nested(depth: number): unknown {
  let v: unknown = 'bottom';
  for (let i = 0; i < depth; i++) v = { a: v };
  return v;
}

function depthOf(v: unknown): number {
  return typeof v === 'object' && v !== null ? 1 + Math.max(0, ...Object.values(v).map(depthOf)) : 0;
}

const cyclic: Record<string, unknown> = { name: 'loop' };
cyclic.self = cyclic;

/** What an attacker or a bug can hand to the audit: each must be storable after bounding. */
const hostile: Record<string, unknown> = {
  'nested 100,000 levels': nested(100_000),
  'a BigInt, a function, a symbol, undefined': { n: 1n, f: () => 1, s: Symbol('s'), u: undefined, kept: 1 },
  'NUL and unpaired surrogates, in values and keys': { 'k\u0000ey': 'a\u0000b', lone: '\uD800x', pair: '😀' },
  'a 1 MB string': { note: 'x'.repeat(1_000_000) },
  '100,000 numbers': Array.from({ length: 100_000 }, (_, i) => i),
  'a cycle': cyclic,
  'undefined': undefined,
  'not finite': [Number.NaN, Number.POSITIVE_INFINITY],
};

let sql: Sql;
beforeAll(() => {
  sql = createSql(inject('pgAdminUrl'), { max: 1 });
});
afterAll(async () => {
  await sql.end();
});

describe('boundedJson: a record of what was sent, always storable', () => {
  for (const [name, value] of Object.entries(hostile)) {
    it(`${name}: stored in jsonb and read back as bounded`, async () => {
      const bounded = boundedJson(value);
      const text = JSON.stringify(bounded);
      expect(text.length).toBeLessThanOrEqual(RECORD_LIMITS.size + 2_000);
      expect(depthOf(bounded)).toBeLessThanOrEqual(RECORD_LIMITS.depth + 1);
      const [row] = await sql`SELECT ${sql.json(bounded as never)}::jsonb AS j`;
      expect(row!.j).toEqual(bounded);
    });
  }

  it('says what it replaced', () => {
    expect(boundedJson(hostile['a BigInt, a function, a symbol, undefined'])).toEqual({ n: '[bigint]', kept: 1 });
    expect(boundedJson(hostile['NUL and unpaired surrogates, in values and keys'])).toEqual({ 'k\uFFFDey': 'a\uFFFDb', lone: '\uFFFDx', pair: '😀' });
    expect(boundedJson(cyclic)).toEqual({ name: 'loop', self: '[cycle]' });
    expect(boundedJson(undefined)).toBe('[undefined]');
    expect(JSON.stringify(boundedJson(nested(100)))).toContain('[too deep]');
    const note = (boundedJson(hostile['a 1 MB string']) as { note: string }).note;
    expect(note).toHaveLength(RECORD_LIMITS.text + '…[truncated]'.length);
    expect((boundedJson(hostile['100,000 numbers']) as unknown[]).at(-1)).toBe('[truncated]');
  });

  it('keeps an ordinary body as it is, amounts and dates as JSON writes them', () => {
    const body = { customerCode: 'C0001', lines: [{ quantity: '2', unitPrice: dec('120.50') }], on: new Date('2026-01-02T03:04:05Z'), note: 'line\nbreak\ttab' };
    expect(boundedJson(body)).toEqual(JSON.parse(JSON.stringify(body)));
  });
});

describe('storableJson: data is stored as it is or refused, naming the field', () => {
  it('refuses what jsonb or JSON cannot hold', () => {
    const refused = (value: unknown) => {
      try {
        storableJson(value, 'contacts');
      } catch (e) {
        expect(e).toBeInstanceOf(DomainError);
        return { code: (e as DomainError).code, field: (e as DomainError).field, message: (e as DomainError).message };
      }
      throw new Error('not refused');
    };
    expect(refused([{ name: 'Li' }, { name: 'Wang\u0000' }])).toEqual({ code: 'VALIDATION_FAILED', field: 'contacts', message: 'contacts[1].name holds a NUL character or an unpaired surrogate' });
    expect(refused({ n: 1n }).message).toBe('contacts.n is a bigint');
    expect(refused(nested(100_000)).message).toMatch(/^contacts(\.a)+ is nested deeper than 8 levels$/);
    expect(refused(cyclic).message).toBe('contacts.self contains itself');
    expect(refused(undefined).message).toBe('contacts is undefined');
    expect(refused([{ note: 'x'.repeat(5_000) }]).message).toBe('contacts[0].note is longer than 4000 characters');
  });

  it('returns valid data unchanged', () => {
    const contacts = [{ name: 'Li Lei', phone: '+86 21 5555 0101', email: null }];
    expect(storableJson(contacts, 'contacts')).toEqual(contacts);
  });
});
