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
 * A path the console builds from form values must name the route it was built for: a value that decodes to a
 * `.` or `..` segment (or an empty one) would be collapsed by URL parsing into another route (`changes/../reject`
 * is `reject`), so such a path is refused before it is sent.
 */
export function routeProblem(path: string): string | undefined {
  const [route = ''] = path.split('?', 1);
  for (const segment of route.split('/').slice(1)) {
    let decoded = segment;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      return 'the address is not percent-encoded UTF-8';
    }
    if (decoded === '' || decoded === '.' || decoded === '..' || decoded.includes('/') || decoded.includes('\\')) return `"${segment}" is not a value the address may hold`;
  }
  return undefined;
}

const refusedRoute = (problem: string): ApiOutcome => ({ ok: false, status: 400, error: { code: 'VALIDATION_FAILED', message: problem, field: null } });

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
  const problem = routeProblem(path);
  if (problem) return refusedRoute(problem);
  const headers: Record<string, string> = { authorization: `Bearer ${session.token}` };
  if (method !== 'DELETE') headers['content-type'] = 'application/json';
  if (idempotencyKey) headers['idempotency-key'] = idempotencyKey;
  const res = await api(path, { method, headers, ...(method === 'DELETE' ? {} : { body: JSON.stringify(body) }) });
  return outcomeOf(res);
}

/** Reads an API route as the signed-in user: the page shows what this user may see, filtered as the API filters. */
export async function readApi(api: ApiCall, session: ConsoleSession, path: string): Promise<ApiOutcome> {
  const problem = routeProblem(path);
  if (problem) return refusedRoute(problem);
  return outcomeOf(await api(path, { method: 'GET', headers: { authorization: `Bearer ${session.token}` } }));
}

/** The raw answer of a read (a CSV file): for the console's exports, which pass it on as it came. */
export function fetchApi(api: ApiCall, session: ConsoleSession, path: string): Promise<Response> {
  const problem = routeProblem(path);
  if (problem) return Promise.resolve(Response.json({ error: { code: 'VALIDATION_FAILED', message: problem, field: null } }, { status: 400 }));
  return api(path, { method: 'GET', headers: { authorization: `Bearer ${session.token}` } });
}
