import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { ZodType } from 'zod';
import { describe, expect, it } from 'vitest';
import { STATUS_OF } from '../../api/errors.js';
import { rolesAllowedTo, ROLES } from '../../domain/authorization.js';
import { isDomainErrorCode } from '../../domain/errors.js';
import { operationsOf, documentedCodes } from '../support/openapi-fuzz.js';
import { useStack } from '../support/stack.js';

/** The interactive docs work without internet, and every operation says who may call it, with what, and what it answers. */
const stack = useStack();

describe('/docs', () => {
  it('loads Swagger UI from this server only: every script and stylesheet it references answers 200, none is on another host', async () => {
    const page = await stack.app.request('/docs');
    expect(page.status).toBe(200);
    const html = await page.text();
    const refs = [...html.matchAll(/<(?:script|link)\b[^>]*\b(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(refs.length).toBeGreaterThanOrEqual(3);
    for (const ref of refs) {
      // A reference to another host: a scheme, or protocol-relative.
      expect(ref, ref).toMatch(/^\/(?!\/)/);
      const res = await stack.app.request(ref);
      expect(res.status, ref).toBe(200);
      expect((await res.arrayBuffer()).byteLength, ref).toBeGreaterThan(0);
    }
    // Anonymous, as a browser asks: the docs are open, like /openapi.json.
    const bundle = await stack.app.request('/docs/swagger-ui-bundle.js');
    const dist = createRequire(import.meta.url).resolve('swagger-ui-dist/swagger-ui-bundle.js');
    expect(Buffer.from(await bundle.arrayBuffer()).equals(readFileSync(dist))).toBe(true);
    expect((await stack.app.request('/docs/package.json')).status).toBe(404);
  });

  it('pins swagger-ui-dist to the exact version installed', () => {
    const pinned = JSON.parse(readFileSync('package.json', 'utf8')).dependencies['swagger-ui-dist'];
    const installed = JSON.parse(readFileSync(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'), 'utf8')).version;
    expect(pinned).toBe(installed);
  });
});

describe('/openapi.json', () => {
  it('gives every operation a summary, the roles that may call it, an example body and its error codes with their statuses', async () => {
    const doc = (await stack.request('GET', '/openapi.json', { anonymous: true })).body;
    const ops = operationsOf(doc);
    expect(ops.length).toBeGreaterThanOrEqual(60);
    const problems: string[] = [];
    const bodies = new Map<string, ZodType>();
    for (const d of stack.app.openAPIRegistry.definitions) {
      if (d.type !== 'route') continue;
      const schema = (d.route.request?.body?.content as Record<string, { schema?: unknown }> | undefined)?.['application/json']?.schema;
      if (schema) bodies.set(`${d.route.method.toUpperCase()} ${d.route.path}`, schema as ZodType);
    }
    for (const { method, path, op } of ops) {
      const name = `${method} ${path}`;
      if (!op.summary?.trim()) problems.push(`${name}: no summary`);
      const roles: string[] = op['x-roles'] ?? [];
      if (roles.length === 0 || roles.some((r) => !(ROLES as readonly string[]).includes(r))) problems.push(`${name}: roles ${roles}`);
      for (const role of roles) if (!String(op.description).includes(role)) problems.push(`${name}: description does not name ${role}`);
      if (!/Who may call it/.test(op.description ?? '')) problems.push(`${name}: description says nothing of who may call it`);
      for (const [type, media] of Object.entries<any>(op.requestBody?.content ?? {})) {
        if (media.example === undefined) problems.push(`${name}: no ${type} example`);
        const schema = bodies.get(name);
        if (type === 'application/json' && schema) {
          const parsed = schema.safeParse(media.example);
          if (!parsed.success) problems.push(`${name}: its example is refused: ${JSON.stringify(parsed.error.issues[0])}`);
        }
      }
      const codes = documentedCodes(op);
      if (codes.length === 0) problems.push(`${name}: no error codes`);
      for (const { status, code } of codes) {
        // VALIDATION_FAILED also comes as 415 (a body of another content type) and, on a write, 422 (a database rule).
        const alsoValidation = code === 'VALIDATION_FAILED' && ((status === 415 && op.requestBody) || (status === 422 && method !== 'GET'));
        const known = isDomainErrorCode(code) && (STATUS_OF[code] === status || alsoValidation);
        if (!known) problems.push(`${name}: ${code} documented under ${status}`);
      }
      const has = (code: string, status: number) => codes.some((c) => c.code === code && c.status === status);
      if (!has('UNAUTHENTICATED', 401)) problems.push(`${name}: 401 not documented`);
      if (method !== 'GET' && !(has('UNAVAILABLE', 503) && has('PAYLOAD_TOO_LARGE', 413) && has('IDEMPOTENCY_KEY_REUSED', 422))) {
        problems.push(`${name}: a write without 503, 413 or IDEMPOTENCY_KEY_REUSED`);
      }
      if (roles.length < ROLES.length && !has('FORBIDDEN', 403)) problems.push(`${name}: FORBIDDEN not documented`);
    }
    expect(problems).toEqual([]);

    // The roles are the role matrix's, the one the routes check.
    const op = (method: string, path: string) => ops.find((o) => o.method === method && o.path === path)!.op;
    expect(op('POST', '/orders/{number}/deliver')['x-roles']).toEqual([...rolesAllowedTo('deliver')]);
    expect(op('POST', '/orders/{number}/approve')['x-roles']).toEqual([...rolesAllowedTo('approve')]);
    expect(op('POST', '/orders/{number}/changes/{version}/approve')['x-roles']).toEqual([...rolesAllowedTo('approve')]);
    expect(op('PUT', '/settings/credit')['x-roles']).toEqual([...rolesAllowedTo('manageCreditSettings')]);
    expect(op('POST', '/quotations/{number}/versions')['x-roles']).toEqual([...rolesAllowedTo('createOrder')]);
    expect(op('GET', '/finance/aging')['x-roles']).toEqual([...rolesAllowedTo('listStuckPayments')]);
    expect(op('GET', '/audit')['x-roles']).toEqual(['admin']);
    expect(op('GET', '/orders')['x-roles']).toEqual([...ROLES]);
    const codesOf = (method: string, path: string) => documentedCodes(op(method, path)).map((c) => c.code);
    expect(codesOf('POST', '/orders/{number}/deliver')).toEqual(expect.arrayContaining(['OVER_DELIVERY', 'INSUFFICIENT_STOCK', 'FORBIDDEN']));
    expect(codesOf('POST', '/orders/{number}/approve')).toEqual(expect.arrayContaining(['DUPLICATE_APPROVAL', 'SELF_APPROVAL', 'INVALID_STATE']));
    expect(codesOf('GET', '/orders')).not.toContain('UNAVAILABLE');
  });

  it('says the truth about who may call an operation: a role it leaves out is refused with FORBIDDEN', async () => {
    const doc = (await stack.request('GET', '/openapi.json', { anonymous: true })).body;
    const roles: string[] = doc.paths['/orders/{number}/deliver'].post['x-roles'];
    expect(roles).not.toContain('clerk');
    const res = await stack.request('POST', '/orders/SO-20261201-0001/deliver', { user: 'clerk.li', body: {} });
    expect([res.status, res.body.error.code]).toEqual([403, 'FORBIDDEN']);
    expect(res.body.error.details.allowedRoles).toEqual(roles);
  });
});
