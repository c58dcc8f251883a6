import { DomainError } from '../domain/errors.js';

/**
 * JSON values made safe for a jsonb column before they reach `sql.json`. postgres.js serialises a
 * parameter with JSON.stringify inside the driver, which throws on a BigInt and on a value nested
 * deeper than the stack allows; a throw there must never happen (docs/postgres-driver-patch.md).
 * jsonb itself refuses \u0000 and unpaired surrogates, and a value past a few levels or kilobytes is
 * not something a person sent on purpose.
 */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface JsonLimits {
  /** Levels of arrays and objects. */
  depth: number;
  /** Characters of the whole value, about the length of its JSON text. */
  size: number;
  /** Characters of one string or key. */
  text: number;
}

/** For a record of what someone sent (the audit): enough to read it back, capped. */
export const RECORD_LIMITS: JsonLimits = { depth: 12, size: 32 * 1024, text: 2_000 };
/** For data the application reads back (contacts, settings). */
export const DATA_LIMITS: JsonLimits = { depth: 8, size: 64 * 1024, text: 4_000 };

/**
 * For a record of what was sent: what cannot be stored is replaced by a marker that says why
 * ("[bigint]", "[too deep]", "[truncated]"), a NUL or an unpaired surrogate by U+FFFD, a text past
 * the limit is cut. Never throws.
 */
export function boundedJson(value: unknown, limits: JsonLimits = RECORD_LIMITS): Json {
  return new Walk(limits, null).value(value, 0, '');
}

/**
 * For data: a value that cannot be stored as it is is refused with VALIDATION_FAILED naming the
 * field and the place in it (`contacts[2].name holds a NUL character`). Returns the value as JSON
 * would store it (a Date or a Decimal by its toJSON; an undefined property left out).
 */
export function storableJson(value: unknown, field: string, limits: JsonLimits = DATA_LIMITS): Json {
  return new Walk(limits, field).value(value, 0, '');
}

const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const UNSTORABLE_ALL = new RegExp(UNSTORABLE.source, 'g');

/** The text with what jsonb and text columns refuse (NUL, an unpaired surrogate) replaced by U+FFFD. */
export const withoutUnstorable = (s: string): string => s.replace(UNSTORABLE_ALL, '\uFFFD');
const TRUNCATED = '[truncated]';

class Walk {
  private left: number;
  private readonly ancestors = new Set<object>();

  /** `field` null: replace with markers; otherwise refuse, naming the field. */
  constructor(
    private readonly limits: JsonLimits,
    private readonly field: string | null,
  ) {
    this.left = limits.size;
  }

  value(v: unknown, depth: number, path: string): Json {
    switch (typeof v) {
      case 'string':
        return this.text(v, path);
      case 'boolean':
        return this.spend(5, path) ? v : TRUNCATED;
      case 'number':
        if (!Number.isFinite(v)) return this.unstorable(path, 'is not a finite number', null);
        return this.spend(String(v).length, path) ? v : TRUNCATED;
      case 'object':
        return v === null ? null : this.object(v, depth, path);
      default: // undefined, bigint, function, symbol
        return this.unstorable(path, `is ${typeof v === 'undefined' ? 'undefined' : `a ${typeof v}`}`, `[${typeof v}]`);
    }
  }

  private object(v: object, depth: number, path: string): Json {
    const toJSON = (v as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') {
      let plain: unknown;
      try {
        plain = toJSON.call(v);
      } catch {
        return this.unstorable(path, 'cannot be turned into JSON', '[unserialisable]');
      }
      // A toJSON that returns an object with a toJSON again is not followed further.
      return typeof plain === 'object' && plain !== null && 'toJSON' in plain ? this.unstorable(path, 'cannot be turned into JSON', '[unserialisable]') : this.value(plain, depth, path);
    }
    if (depth >= this.limits.depth) return this.unstorable(path, `is nested deeper than ${this.limits.depth} levels`, '[too deep]');
    if (this.ancestors.has(v)) return this.unstorable(path, 'contains itself', '[cycle]');
    this.ancestors.add(v);
    try {
      return Array.isArray(v) ? this.array(v, depth, path) : this.record(v, depth, path);
    } finally {
      this.ancestors.delete(v);
    }
  }

  private array(v: unknown[], depth: number, path: string): Json {
    const out: Json[] = [];
    for (let i = 0; i < v.length; i++) {
      if (!this.spend(1, path)) {
        out.push(TRUNCATED);
        break;
      }
      out.push(this.value(v[i], depth + 1, `${path}[${i}]`));
    }
    return out;
  }

  private record(v: object, depth: number, path: string): Json {
    const out: { [key: string]: Json } = {};
    for (const [key, item] of Object.entries(v)) {
      if (item === undefined || typeof item === 'function' || typeof item === 'symbol') continue; // as JSON: left out
      const at = path ? `${path}.${key}` : key;
      if (!this.spend(1, at)) {
        out[TRUNCATED] = TRUNCATED;
        break;
      }
      out[this.text(key, at)] = this.value(item, depth + 1, at);
    }
    return out;
  }

  private text(s: string, path: string): string {
    let clean = s;
    if (UNSTORABLE.test(s)) {
      this.refuse(path, 'holds a NUL character or an unpaired surrogate');
      clean = withoutUnstorable(s);
    }
    const room = Math.min(this.limits.text, this.left);
    if (clean.length > room) {
      this.refuse(path, clean.length > this.limits.text ? `is longer than ${this.limits.text} characters` : `makes the value larger than ${this.limits.size} characters`);
      clean = `${clean.slice(0, Math.max(0, room))}…${TRUNCATED}`;
    }
    this.left -= Math.min(this.left, clean.length + 2);
    return clean;
  }

  private spend(n: number, path: string): boolean {
    if (this.left >= n) {
      this.left -= n;
      return true;
    }
    this.refuse(path, `makes the value larger than ${this.limits.size} characters`);
    this.left = 0;
    return false;
  }

  private unstorable<M extends Json>(path: string, why: string, marker: M): M {
    this.refuse(path, why);
    return marker;
  }

  /** Refuses when the value is data; a record keeps going with a marker. */
  private refuse(path: string, why: string): void {
    if (this.field === null) return;
    const where = path === '' ? this.field : path.startsWith('[') ? `${this.field}${path}` : `${this.field}.${path}`;
    throw new DomainError('VALIDATION_FAILED', `${where} ${why}`, this.field);
  }
}
