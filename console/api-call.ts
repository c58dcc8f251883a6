import type { ConsoleSession } from './session.js';

/** The API app itself (`app.request`): console forms run exactly the API's routes, checks and commands. */
export type ApiCall = (path: string, init: RequestInit) => Promise<Response>;

export interface ApiError {
  code: string;
  message: string;
  field: string | null;
}

export type ApiOutcome = { ok: true; body: Record<string, unknown> } | { ok: false; status: number; error: ApiError };

/**
 * Sends one command as the signed-in user, with their own token, so the API
 * authorises, validates and audits it as it would any other client's.
 */
export async function callApi(api: ApiCall, session: ConsoleSession, path: string, body: unknown, idempotencyKey?: string): Promise<ApiOutcome> {
  const headers: Record<string, string> = { authorization: `Bearer ${session.token}`, 'content-type': 'application/json' };
  if (idempotencyKey) headers['idempotency-key'] = idempotencyKey;
  const res = await api(path, { method: 'POST', headers, body: JSON.stringify(body) });
  const parsed = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  if (res.ok) return { ok: true, body: parsed };
  const error = (parsed.error ?? {}) as Partial<ApiError>;
  return {
    ok: false,
    status: res.status,
    error: { code: error.code ?? `HTTP_${res.status}`, message: error.message ?? res.statusText, field: error.field ?? null },
  };
}
