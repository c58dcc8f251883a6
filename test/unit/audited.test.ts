import { describe, expect, it, vi } from 'vitest';
import { audited } from '../../api/audit/record.js';
import type { Sql } from '../../db/client.js';
import { DomainError } from '../../domain/errors.js';

/** A stand-in for postgres.js: each statement answers with the next of `answers` (a row list, or an error to throw). */
function fakeSql(answers: (unknown[] | Error)[]) {
  const statements: string[] = [];
  const sql = ((strings: TemplateStringsArray) => {
    statements.push(strings.join('?').trim().split(/\s+/)[0]!);
    const next = answers.shift();
    return next instanceof Error ? Promise.reject(next) : Promise.resolve(next ?? []);
  }) as unknown as Sql;
  (sql as unknown as { json: (v: unknown) => unknown }).json = (v) => v;
  return { sql, statements };
}

const entry = { actor: 'manager.wang', actorRole: 'approver', channel: 'chat' as const, platform: 'slack', command: 'approve', orderNumber: 'SO-1', input: {} };

describe('a chat command is audited before it runs', () => {
  it('does not run the command when its intent cannot be written', async () => {
    const { sql } = fakeSql([new Error('audit table refused')]);
    const run = vi.fn(async () => 'approved');
    await expect(audited(sql, entry, run)).rejects.toThrow('audit table refused');
    expect(run).not.toHaveBeenCalled();
  });

  it('writes the intent, runs, then the outcome; a failed outcome write keeps the result', async () => {
    const ok = fakeSql([[{ id: '1' }], []]);
    await expect(audited(ok.sql, entry, async () => 'approved')).resolves.toBe('approved');
    expect(ok.statements).toEqual(['INSERT', 'UPDATE']);

    const lost = fakeSql([[{ id: '2' }], new Error('outcome refused')]);
    const log = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    await expect(audited(lost.sql, entry, async () => 'approved')).resolves.toBe('approved');
    expect(log).toHaveBeenCalledOnce();
    log.mockRestore();
  });

  it('records a refusal as the refusal and rethrows it', async () => {
    const refused = fakeSql([[{ id: '3' }], []]);
    const err = new DomainError('SELF_APPROVAL', 'you created this order');
    await expect(audited(refused.sql, entry, async () => Promise.reject(err))).rejects.toBe(err);
    expect(refused.statements).toEqual(['INSERT', 'UPDATE']);
  });
});
