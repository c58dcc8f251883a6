import type { ConsoleSession } from './session.js';

/** The API app itself (`app.request`): console forms run exactly the API's routes, checks and commands. */
export type ApiCall = (path: string, init: RequestInit) => Promise<Response>;

export interface ApiError {
  code: string;
  message: string;
  field: string | null;
}

export type ApiOutcome = { ok: true; body: Record<string, unknown> } | { ok: false; status: number; error: ApiError };

export type WriteMethod = 'POST' | 'PUT' | 'PATCH' | 'DELETE';

async function outcomeOf(res: Response): Promise<ApiOutcome> {
  const parsed = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  if (res.ok) return { ok: true, body: parsed };
  const error = (parsed.error ?? {}) as Partial<ApiError>;
  return {
    ok: false,
    status: res.status,
    error: { code: error.code ?? `HTTP_${res.status}`, message: error.message ?? res.statusText, field: error.field ?? null },
  };
}

/**
 * Sends one command as the signed-in user, with their own token, so the API
 * authorises, validates and audits it as it would any other client's.
 * POST unless told otherwise; DELETE goes without a body.
 */
export async function callApi(
  api: ApiCall,
  session: ConsoleSession,
  path: string,
  body: unknown,
  idempotencyKey?: string,
  method: WriteMethod = 'POST',
): Promise<ApiOutcome> {
  const headers: Record<string, string> = { authorization: `Bearer ${session.token}` };
  if (method !== 'DELETE') headers['content-type'] = 'application/json';
  if (idempotencyKey) headers['idempotency-key'] = idempotencyKey;
  const res = await api(path, { method, headers, ...(method === 'DELETE' ? {} : { body: JSON.stringify(body) }) });
  return outcomeOf(res);
}

/** Reads an API route as the signed-in user: the page shows what this user may see, filtered as the API filters. */
export async function readApi(api: ApiCall, session: ConsoleSession, path: string): Promise<ApiOutcome> {
  return outcomeOf(await api(path, { method: 'GET', headers: { authorization: `Bearer ${session.token}` } }));
}

/** The raw answer of a read (a CSV file): for the console's exports, which pass it on as it came. */
export function fetchApi(api: ApiCall, session: ConsoleSession, path: string): Promise<Response> {
  return api(path, { method: 'GET', headers: { authorization: `Bearer ${session.token}` } });
}
