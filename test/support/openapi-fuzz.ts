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
}

export function operations(doc: Schema): Operation[] {
  const ops: Operation[] = [];
  for (const [path, item] of Object.entries<Record<string, any>>(doc.paths ?? {})) {
    for (const method of ['get', 'post', 'put', 'patch', 'delete']) {
      const op = item[method];
      if (!op) continue;
      ops.push({
        method: method.toUpperCase(),
        path,
        parameters: [...(item.parameters ?? []), ...(op.parameters ?? [])],
        body: op.requestBody?.content?.['application/json']?.schema,
      });
    }
  }
  return ops;
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

