/**
 * A small request generator driven by the API's own OpenAPI document: for each
 * operation it builds bodies, queries and path values that follow the schema,
 * then breaks them in the ways clients do (missing fields, wrong types, signs,
 * sizes, junk text, extra fields).
 */
type Schema = Record<string, any>;

export interface Operation {
  method: string;
  path: string;
  parameters: { name: string; in: string; required?: boolean; schema?: Schema }[];
  body?: Schema;
  /** The error answers the document promises, as `status CODE`. */
  errors: Set<string>;
}

/** Every operation of the document with its method (upper case) and path. */
export function operationsOf(doc: Schema): { method: string; path: string; item: Schema; op: Schema }[] {
  return Object.entries<Schema>(doc.paths ?? {}).flatMap(([path, item]) =>
    ['get', 'post', 'put', 'patch', 'delete'].filter((m) => item[m]).map((m) => ({ method: m.toUpperCase(), path, item, op: item[m] as Schema })),
  );
}

/** The error codes an operation documents, each under the status it comes with (one example per code). */
export function documentedCodes(op: Schema): { status: number; code: string }[] {
  return Object.entries<Schema>(op.responses ?? {})
    .filter(([status]) => Number(status) >= 400)
    .flatMap(([status, r]) => Object.keys(r.content?.['application/json']?.examples ?? {}).map((code) => ({ status: Number(status), code })));
}

export function operations(doc: Schema): Operation[] {
  return operationsOf(doc).map(({ method, path, item, op }) => ({
    method,
    path,
    parameters: [...(item.parameters ?? []), ...(op.parameters ?? [])],
    body: op.requestBody?.content?.['application/json']?.schema,
    errors: new Set(documentedCodes(op).map((c) => `${c.status} ${c.code}`)),
  }));
}

/** The operation a request goes to: a literal path segment wins over a `{param}` one, as in the router. */
export function operationFor(ops: readonly Operation[], method: string, url: string): Operation | undefined {
  const path = url.split('?')[0]!;
  const fits = (template: string) => new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`).test(path);
  const literal = (o: Operation) => o.path.split('/').filter((s) => !s.startsWith('{')).length;
  return ops.filter((o) => o.method === method && fits(o.path)).sort((a, b) => literal(b) - literal(a))[0];
}

/** An error answer the operation does not document (its code, or its code under that status), or undefined. */
export function undocumentedError(op: Operation, res: { status: number; body: any }): string | undefined {
  if (res.status < 400) return undefined;
  const answered = `${res.status} ${res.body?.error?.code}`;
  return op.errors.has(answered) ? undefined : `${op.method} ${op.path} answered ${answered}, which it does not document`;
}

export function resolver(doc: Schema) {
  return function resolve(schema: Schema | undefined): Schema {
    if (!schema) return {};
    if (schema.$ref) {
      const name = String(schema.$ref).split('/').pop()!;
      return resolve(doc.components?.schemas?.[name]);
    }
    return schema;
  };
}

const JUNK = ['', ' ', '-1', '0', '1e9', 'NaN', 'null', '💥', "'; DROP TABLE customers; --", 'x'.repeat(300), '1.0000001', '-0.01', '99999999999999999999.99'];

export class Fuzzer {
  constructor(
    private readonly random: () => number,
    private readonly resolve: (s: Schema | undefined) => Schema,
    private readonly samples: Record<string, string[]>,
  ) {}

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)]!;
  }

  /** A value that follows the schema, using known good samples (codes, numbers) where a name suggests one. */
  valid(schemaIn: Schema | undefined, name = ''): unknown {
    const schema = this.resolve(schemaIn);
    if (schema.anyOf || schema.oneOf) return this.valid(this.pick(schema.anyOf ?? schema.oneOf), name);
    if (schema.enum) return this.pick(schema.enum);
    const type = Array.isArray(schema.type) ? schema.type.find((t: string) => t !== 'null') : schema.type;
    const known = this.samples[name];
    switch (type) {
      case 'object': {
        const out: Record<string, unknown> = {};
        for (const [key, prop] of Object.entries<Schema>(schema.properties ?? {})) {
          if ((schema.required ?? []).includes(key) || this.random() < 0.5) out[key] = this.valid(prop, key);
        }
        return out;
      }
      case 'array': {
        const n = Math.max(schema.minItems ?? 0, 1 + Math.floor(this.random() * 3));
        return Array.from({ length: Math.min(n, schema.maxItems ?? n) }, () => this.valid(schema.items, name));
      }
      case 'integer':
      case 'number':
        return known ? Number(this.pick(known)) : (schema.minimum ?? 1) + Math.floor(this.random() * 5);
      case 'boolean':
        return this.random() < 0.5;
      case 'string':
      default:
        if (known) return this.pick(known);
        if (schema.pattern && /\\d|\[0-9\]/.test(schema.pattern)) return String(1 + Math.floor(this.random() * 20));
        return 'fuzz';
    }
  }

  /** `count` of the items, in random order: a sample of the hostile values per field keeps the run short. */
  some<T>(items: readonly T[], count: number): T[] {
    return [...items].sort(() => this.random() - 0.5).slice(0, count);
  }

  /** A schema-shaped value with every optional field filled, so each field gets its turn at being poisoned. */
  full(schemaIn: Schema | undefined, name = ''): unknown {
    const schema = this.resolve(schemaIn);
    if (schema.anyOf || schema.oneOf) {
      const options = (schema.anyOf ?? schema.oneOf) as Schema[];
      return this.full(options.find((o) => this.resolve(o).type !== 'null') ?? options[0], name);
    }
    const type = Array.isArray(schema.type) ? schema.type.find((t: string) => t !== 'null') : schema.type;
    if (type === 'object' && schema.properties) {
      return Object.fromEntries(Object.entries<Schema>(schema.properties).map(([key, prop]) => [key, this.full(prop, key)]));
    }
    if (type === 'array') return [this.full(schema.items, name)];
    return this.valid(schema, name);
  }

  /** The valid value broken in one of the ways real clients break it. */
  broken(schemaIn: Schema | undefined, name = ''): unknown {
    const schema = this.resolve(schemaIn);
    const value = this.valid(schema, name);
    const roll = this.random();
    if (roll < 0.15) return this.pick([null, 42, -1, true, 'text', [], {}]);
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      const obj = { ...(value as Record<string, unknown>) };
      const keys = Object.keys(schema.properties ?? {});
      const key = keys.length ? this.pick(keys) : 'unexpected';
      const how = this.random();
      if (how < 0.3) delete obj[key];
      else if (how < 0.8) obj[key] = this.broken(schema.properties?.[key], key);
      else obj[`extra_${Math.floor(this.random() * 100)}`] = this.pick(JUNK);
      return obj;
    }
    if (Array.isArray(value)) {
      if (roll < 0.4) return [];
      return value.map((v) => (this.random() < 0.5 ? this.broken(schema.items, name) : v));
    }
    if (typeof value === 'string') return this.pick([...JUNK, `-${value}`, `${value}${value}`, value.toLowerCase()]);
    if (typeof value === 'number') return this.pick([0, -value, value * 1e9, 1.5, Number.MAX_SAFE_INTEGER]);
    return this.pick(JUNK);
  }
}


/** One request of the hostile pass: `mustRefuse` when no route may accept it (a 4xx, never 2xx or 5xx). */
export interface HostileRequest {
  what: string;
  path: string;
  query: URLSearchParams;
  body?: string;
  contentType?: string;
  mustRefuse: boolean;
}

// NUL, a C0 control, an escape sequence, DEL, a C1 control, a lone surrogate: none can be stored as text.
const UNSTORABLE = ['a\u0000b', 'a\u0007b', '\u001b[2Jx', 'a\u007fb', 'a\u0085b', 'a\ud800b'];
// A URL carries UTF-8 only: a lone surrogate cannot be put in one (its percent bytes arrive as plain text).
const UNSTORABLE_IN_URL = UNSTORABLE.filter((v) => !/[\ud800-\udfff]/.test(v));
// At and just past numeric(18,4), (18,6) and (18,2), and the amounts that move no money.
const AT_PRECISION = ['99999999999999.9999', '100000000000000', '999999999999.999999', '1000000000000', '9999999999999999.99', '10000000000000000', '1.0000001'];
const NOT_POSITIVE = ['0', '0.00', '-1', '-0.01'];
const INTEGERS = [0, -1, 2_147_483_648, 1e300, 1.5];
const NOT_JSON = ['{', '{"a":', 'null', '[]', '"text"', '1', 'reason=x', `${'['.repeat(20_000)}${']'.repeat(20_000)}`];
const MEGABYTE = 'x'.repeat(1024 * 1024);
const DECIMAL = /^-?\d+(\.\d+)?$/;

type Leaf = { path: (string | number)[]; value: unknown };

function leaves(value: unknown, path: (string | number)[] = []): Leaf[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => leaves(v, [...path, i]));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => leaves(v, [...path, k]));
  return [{ path, value }];
}

function withLeaf(body: unknown, path: (string | number)[], value: unknown): unknown {
  const copy = structuredClone(body) as Record<string | number, unknown>;
  let at: Record<string | number, unknown> = copy;
  for (const key of path.slice(0, -1)) at = at[key] as Record<string | number, unknown>;
  at[path.at(-1)!] = value;
  return copy;
}

const label = (path: (string | number)[]) => path.map(String).join('.') || 'body';

/**
 * The hostile requests for one operation, built around one schema-shaped request
 * with every optional field filled: each string field, query and path parameter
 * poisoned in turn, numbers at and past their column, unknown fields, duplicate
 * keys, a megabyte body, wrong content types and bodies that are not JSON.
 */
export function hostileRequests(
  op: Operation,
  fuzz: Fuzzer,
  /** A path value; `forRefusal` asks for the one the refusals are aimed at (the order that must keep working). */
  pathValue: (name: string, schema: Schema | undefined, forRefusal: boolean) => string,
): HostileRequest[] {
  const out: HostileRequest[] = [];
  const pathParams = op.parameters.filter((p) => p.in === 'path');
  const pathOf = (forRefusal: boolean, over: Record<string, string> = {}) =>
    op.path.replace(/\{(\w+)\}/g, (_, name: string) => {
      const p = pathParams.find((x) => x.name === name);
      return encodeURIComponent(over[name] ?? pathValue(name, p?.schema, forRefusal));
    });
  const queryParams = op.parameters.filter((p) => p.in === 'query');
  const baseQuery = () => {
    const q = new URLSearchParams();
    for (const p of queryParams) if (p.required) q.set(p.name, String(fuzz.valid(p.schema, p.name)));
    return q;
  };
  const base = op.body ? fuzz.full(op.body) : undefined;
  const json = (body: unknown) => JSON.stringify(body);
  const send = (what: string, mustRefuse: boolean, body?: string, extra: Partial<HostileRequest> = {}) =>
    out.push({ what, path: pathOf(mustRefuse), query: baseQuery(), mustRefuse, ...(body !== undefined ? { body, contentType: 'application/json' } : {}), ...extra });

  for (const p of pathParams) {
    for (const bad of fuzz.some(UNSTORABLE_IN_URL, 2)) out.push({ what: `path ${p.name}=${JSON.stringify(bad)}`, path: pathOf(true, { [p.name]: bad }), query: baseQuery(), mustRefuse: true, ...(base !== undefined ? { body: json(base), contentType: 'application/json' } : {}) });
  }
  for (const p of queryParams) {
    for (const bad of [...fuzz.some(UNSTORABLE_IN_URL, 2), 'q'.repeat(10_000)]) {
      const query = baseQuery();
      query.set(p.name, bad);
      out.push({ what: `query ${p.name}=${JSON.stringify(bad.slice(0, 12))}`, path: pathOf(true), query, mustRefuse: true });
    }
  }
  if (base === undefined) return out;

  for (const { path, value } of leaves(base)) {
    if (typeof value === 'string') {
      for (const bad of fuzz.some(UNSTORABLE, 2)) send(`${label(path)}=${JSON.stringify(bad)}`, true, json(withLeaf(base, path, bad)));
      send(`${label(path)}=100 kB`, true, json(withLeaf(base, path, 'x'.repeat(100_000))));
      if (DECIMAL.test(value)) {
        for (const n of [...fuzz.some(AT_PRECISION, 3), ...fuzz.some(NOT_POSITIVE, 2)]) send(`${label(path)}=${n}`, false, json(withLeaf(base, path, n)));
      }
    } else if (typeof value === 'number') {
      for (const n of fuzz.some(INTEGERS, 2)) send(`${label(path)}=${n}`, false, json(withLeaf(base, path, n)));
    }
  }
  send('unknown field', true, json({ ...(base as object), unknownField: 'x' }));
  const nested = leaves(base).find((l) => typeof l.path.at(-2) === 'number');
  if (nested) send('unknown nested field', true, json(withLeaf(base, [...nested.path.slice(0, -1), 'unknownField'], 'x')));
  const [firstKey] = Object.keys(base as object);
  if (firstKey !== undefined) {
    const rest = json(base).slice(1);
    send('duplicate key, poisoned first', false, `{${JSON.stringify(firstKey)}:${JSON.stringify(UNSTORABLE[0])},${rest}`);
    send('duplicate key, poisoned last', true, `${json(base).slice(0, -1)},${JSON.stringify(firstKey)}:${JSON.stringify(UNSTORABLE[0])}}`);
  }
  send('1 MB field', true, json({ ...(base as object), [firstKey ?? 'field']: MEGABYTE }));
  for (const raw of fuzz.some(NOT_JSON, 3)) send(`not JSON ${raw.slice(0, 8)}`, true, raw);
  send('text/plain', false, undefined, { body: json(base), contentType: 'text/plain' });
  send('form content type', false, undefined, { body: 'reason=x', contentType: 'application/x-www-form-urlencoded' });
  return out;
}
