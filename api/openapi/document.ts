import type { OpenAPIHono } from '@hono/zod-openapi';
import { rolesAllowedTo, ROLES, type Command } from '../../domain/authorization.js';
import type { DomainErrorCode } from '../../domain/errors.js';
import { commandGuardedBy } from '../auth/authorize.js';
import { errorBody, MEANING_OF, STATUS_OF } from '../errors.js';
import { CSV_EXAMPLE, exampleOf } from './examples.js';
import { OPERATION_ERRORS } from './operation-errors.js';

type Doc = ReturnType<OpenAPIHono['getOpenAPI31Document']>;
type Json = Record<string, any>;

const WRITES = new Set(['post', 'put', 'patch', 'delete']);

/** A route pattern of the router (`/orders/:number/*`) as a test for a concrete path. */
function matcher(pattern: string): RegExp {
  const body = pattern
    .replace(/\{[^}]*\}/g, '')
    .split('/')
    .map((part) => (part === '*' ? '.*' : part.startsWith(':') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  // `/finance/*` also takes `/finance` itself, as Hono's router does.
  return new RegExp(`^${body.replace(/\/\.\*$/, '(/.*)?')}$`);
}

/**
 * The commands whose role check guards an operation: every `requires` middleware the router runs for it, read
 * from the routes themselves, so the document and the authorisation cannot disagree.
 */
export function commandsGuarding(app: OpenAPIHono, method: string, path: string): Command[] {
  const concrete = path.replace(/\{[^}]+\}/g, 'x');
  const found = new Set<Command>();
  for (const r of app.routes) {
    if (r.method !== 'ALL' && r.method !== method.toUpperCase()) continue;
    const command = commandGuardedBy(r.handler);
    if (command && matcher(r.path).test(concrete)) found.add(command);
  }
  return [...found];
}

/** Who may call an operation: every role its guards all allow (no guard: any signed-in role). */
export function rolesFor(commands: readonly Command[]): readonly string[] {
  return ROLES.filter((role) => commands.every((c) => rolesAllowedTo(c).includes(role)));
}

/** Every code an operation may answer: its own business refusals first (the docs show the first of a status), then what its kind of route answers. */
export function errorCodesOf(method: string, path: string, op: Json, guarded: boolean): DomainErrorCode[] {
  const codes = new Set<DomainErrorCode>([...((op['x-error-codes'] ?? []) as DomainErrorCode[]), ...(OPERATION_ERRORS[`${method.toUpperCase()} ${path}`] ?? [])]);
  codes.add('UNAUTHENTICATED');
  if (guarded) codes.add('FORBIDDEN');
  if (op.parameters?.length || op.requestBody) codes.add('VALIDATION_FAILED');
  if (path.includes('{')) codes.add('NOT_FOUND');
  if (WRITES.has(method)) {
    // Every write: an oversized body, the audit intent that could not be written (or Temporal, the database
    // unreachable) and the Idempotency-Key bound to its first request.
    for (const c of ['PAYLOAD_TOO_LARGE', 'UNAVAILABLE', 'IDEMPOTENCY_KEY_REUSED', 'IDEMPOTENCY_KEY_IN_USE'] as const) codes.add(c);
  }
  return [...codes];
}

interface ErrorAnswer {
  status: number;
  code: DomainErrorCode;
  meaning: string;
}

/**
 * Each code under its status (api/errors.ts), and VALIDATION_FAILED where api/errors.ts handleError answers it
 * with another status: 415 for a body of another content type, 422 on a write for a database rule (a CHECK,
 * a foreign key) that refused a value the schema let through.
 */
function answersOf(codes: DomainErrorCode[], hasBody: boolean, write: boolean): ErrorAnswer[] {
  const answers = codes.map((code) => ({ status: STATUS_OF[code], code, meaning: MEANING_OF[code] }));
  if (hasBody) answers.push({ status: 415, code: 'VALIDATION_FAILED', meaning: 'The body is not of the content type the operation takes' });
  if (write) answers.push({ status: 422, code: 'VALIDATION_FAILED', meaning: 'A database rule refused a value; `field` names the rule' });
  return answers;
}

function errorResponses(answers: ErrorAnswer[]): Json {
  const out: Json = {};
  for (const status of [...new Set(answers.map((a) => a.status))].sort((a, b) => a - b)) {
    const list = answers.filter((a) => a.status === status);
    out[status] = {
      description: list.map((a) => `\`${a.code}\`: ${a.meaning}`).join('\n\n'),
      content: {
        'application/json': {
          schema: { $ref: '#/components/schemas/Error' },
          examples: Object.fromEntries(list.map((a) => [a.code, { summary: a.meaning, value: errorBody(a.code, a.meaning, null) }])),
        },
      },
    };
  }
  return out;
}

/**
 * The OpenAPI document with what a reader needs on every operation: who may call it (from the role matrix the
 * routes check), an example body (from the schemas' examples), and the error codes it answers with their
 * statuses, each with an example (`x-error-codes` lists them for machines).
 */
export function documented(app: OpenAPIHono, doc: Doc): Doc {
  const resolve = (s: Json | undefined): Json => (s?.$ref ? resolve(doc.components?.schemas?.[String(s.$ref).split('/').pop()!] as Json) : (s ?? {}));
  for (const [path, item] of Object.entries<Json>(doc.paths ?? {})) {
    for (const method of ['get', 'post', 'put', 'patch', 'delete']) {
      const op = item[method] as Json | undefined;
      if (!op) continue;
      const commands = commandsGuarding(app, method, path);
      const roles = rolesFor(commands);
      const who = commands.length
        ? `**Who may call it:** ${roles.join(', ')} (the \`${commands.join('`, `')}\` permission).`
        : `**Who may call it:** any signed-in role (${roles.join(', ')}).`;
      op.description = op.description ? `${op.description}\n\n${who}` : who;
      op['x-roles'] = roles;
      const codes = errorCodesOf(method, path, op, commands.length > 0);
      op['x-error-codes'] = codes;
      const success = Object.fromEntries(Object.entries<Json>(op.responses ?? {}).filter(([status]) => Number(status) < 400));
      op.responses = { ...success, ...errorResponses(answersOf(codes, Boolean(op.requestBody), WRITES.has(method))) };
      for (const [type, media] of Object.entries<Json>(op.requestBody?.content ?? {})) {
        if (media.example === undefined) media.example = type === 'text/csv' ? CSV_EXAMPLE : exampleOf(media.schema, resolve);
      }
    }
  }
  return doc;
}
