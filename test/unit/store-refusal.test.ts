import postgres from 'postgres';
import { describe, expect, it } from 'vitest';
import { storeRefusal } from '../../activities/support.js';

const pgError = (fields: Record<string, string>) => new postgres.PostgresError({ message: `error ${fields.code}`, ...fields } as never);

/** Which database errors end a step at once (a retry could not succeed) and which it retries. */
describe('storeRefusal', () => {
  it('refuses data the database cannot store: class 22, a CHECK, a NOT NULL, with the column and constraint named', () => {
    const nul = storeRefusal(pgError({ code: '22021', message: 'invalid byte sequence for encoding "UTF8": 0x00' }));
    expect(nul).toMatchObject({ type: 'VALIDATION_FAILED', nonRetryable: true });
    expect(nul!.message).toContain('invalid byte sequence');
    const overflow = storeRefusal(pgError({ code: '22003', table_name: 'receipts', column_name: 'amount' }));
    expect(overflow).toMatchObject({ type: 'VALIDATION_FAILED', details: [{ field: 'amount', sqlState: '22003' }] });
    expect(overflow!.message).toContain('column amount');
    const check = storeRefusal(pgError({ code: '23514', table_name: 'receipts', constraint_name: 'receipts_amount_check' }));
    expect(check).toMatchObject({ type: 'VALIDATION_FAILED', nonRetryable: true, details: [{ constraint: 'receipts_amount_check' }] });
    expect(check!.message).toContain('constraint receipts_amount_check');
    expect(storeRefusal(pgError({ code: '23502', column_name: 'reason' }))).toMatchObject({ type: 'VALIDATION_FAILED' });
  });

  it('answers CONFLICT for the other integrity violations', () => {
    expect(storeRefusal(pgError({ code: '23503', constraint_name: 'order_lines_product_id_fkey' }))).toMatchObject({ type: 'CONFLICT', nonRetryable: true });
    expect(storeRefusal(pgError({ code: '23505', constraint_name: 'approvals_order_id_user_name_key' }))).toMatchObject({ type: 'CONFLICT' });
  });

  it('leaves retryable a racing attempt of the same step (its idempotency key), transient errors and what is not from the database', () => {
    expect(storeRefusal(pgError({ code: '23505', constraint_name: 'activity_results_pkey' }))).toBeUndefined();
    expect(storeRefusal(pgError({ code: '23505', constraint_name: 'delivery_notes_idempotency_key_key' }))).toBeUndefined();
    for (const code of ['40001', '40P01', '08006', '57P01', '53300', 'P0001']) expect(storeRefusal(pgError({ code })), code).toBeUndefined();
    expect(storeRefusal(Object.assign(new Error('write CONNECTION_CLOSED'), { code: 'CONNECTION_CLOSED' }))).toBeUndefined();
  });
});
