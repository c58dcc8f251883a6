type Json = Record<string, any>;

/** Values for fields whose schema carries no example of its own, by field name: the seed data's (db/seed). */
const BY_NAME: Record<string, unknown> = {
  customerCode: 'C0001',
  productCode: 'P0001',
  warehouseCode: 'WH-SH',
  code: 'C0001',
  quantity: '2',
  unitPrice: '100.00',
  amount: '113.00',
  reason: 'the customer asked for it',
  currency: 'CNY',
  name: '上海华联贸易',
  carrier: 'SF Express',
  trackingNumber: 'SF1234567890',
  lineNo: 1,
  payerCode: 'C0001',
  period: '2026-11',
  effectiveFrom: '2026-12-01',
  effectiveTo: '2026-12-31',
  noticeId: 'BANK-20261201-0001',
  prefix: 'SO',
  above: '0',
  upTo: '100',
};

/** The one body that is not JSON: a master-data import, shown for products (GET /import/{kind}/template has each kind's header). */
export const CSV_EXAMPLE = 'code,name,listPrice\nP9001,不锈钢保温杯,89.00\n';

/**
 * An example value of a JSON schema: the schema's own example (from `.openapi({ example })`) where it has one,
 * else its default or first allowed value, else one by field name or type. Objects carry their required fields
 * and every optional one that has an example of its own. The docs test checks each result against the route's
 * zod schema, so an example a client copies is one the API accepts.
 */
export function exampleOf(schemaIn: Json | undefined, resolve: (s: Json | undefined) => Json, name = ''): unknown {
  const schema = resolve(schemaIn);
  if (schema.example !== undefined) return schema.example;
  if (Array.isArray(schema.examples) && schema.examples.length) return schema.examples[0];
  if (schema.default !== undefined) return schema.default;
  if (schema.const !== undefined) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length) return schema.enum[0];
  const options = (schema.anyOf ?? schema.oneOf) as Json[] | undefined;
  if (options) return exampleOf(options.find((o) => resolve(o).type !== 'null') ?? options[0], resolve, name);
  if (Array.isArray(schema.allOf) && schema.allOf.length) return exampleOf(schema.allOf[0], resolve, name);
  const type = Array.isArray(schema.type) ? schema.type.find((t: string) => t !== 'null') : schema.type;
  if (name in BY_NAME && type !== 'object' && type !== 'array') return BY_NAME[name];
  switch (type) {
    case 'object': {
      const out: Json = {};
      for (const [key, prop] of Object.entries<Json>(schema.properties ?? {})) {
        if ((schema.required ?? []).includes(key) || hasOwnExample(resolve(prop))) out[key] = exampleOf(prop, resolve, key);
      }
      return out;
    }
    case 'array':
      return Array.from({ length: Math.max(1, schema.minItems ?? 1) }, () => exampleOf(schema.items, resolve, name));
    case 'integer':
    case 'number':
      return schema.minimum ?? 1;
    case 'boolean':
      return true;
    default:
      return schema.format === 'date' ? '2026-12-01' : 'text';
  }
}

const hasOwnExample = (s: Json) => s.example !== undefined || (Array.isArray(s.examples) && s.examples.length > 0);
