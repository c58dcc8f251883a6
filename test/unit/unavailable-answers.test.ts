import { Hono } from 'hono';
import postgres from 'postgres';
import { describe, expect, it } from 'vitest';
import { handleError } from '../../api/errors.js';

/** What the API answers when the database goes away under a request (the cluster suite's Postgres stop/start). */
async function answerTo(err: unknown) {
  const app = new Hono();
  app.onError(handleError);
  app.get('/', () => {
    throw err;
  });
  const res = await app.request('/');
  return { status: res.status, code: ((await res.json()) as { error: { code: string } }).error.code };
}

const pgError = (code: string, message: string) => Object.assign(Object.create(postgres.PostgresError.prototype) as Error, { name: 'PostgresError', code, message });
const connectionError = (code: string) => Object.assign(new Error(`${code} 127.0.0.1:5432`), { code, errno: code, address: '127.0.0.1', port: 5432 });

describe('the database away under a request', () => {
  it('answers 503 UNAVAILABLE (retry with the same key), not 500 INTERNAL, while Postgres stops, is down or starts', async () => {
    for (const err of [
      pgError('57P01', 'terminating connection due to administrator command'),
      pgError('57P03', 'the database system is shutting down'),
      pgError('57P03', 'the database system is starting up'),
      connectionError('ECONNREFUSED'),
      connectionError('ECONNRESET'),
      connectionError('CONNECTION_CLOSED'),
      connectionError('CONNECTION_ENDED'),
      connectionError('CONNECTION_DESTROYED'),
      connectionError('CONNECT_TIMEOUT'),
    ]) {
      expect(await answerTo(err), String(err)).toEqual({ status: 503, code: 'UNAVAILABLE' });
    }
  });

  it('still answers 500 INTERNAL for what is a bug', async () => {
    expect(await answerTo(new TypeError('x is undefined'))).toEqual({ status: 500, code: 'INTERNAL' });
    expect(await answerTo(pgError('42703', 'column "nope" does not exist'))).toEqual({ status: 500, code: 'INTERNAL' });
  });
});
