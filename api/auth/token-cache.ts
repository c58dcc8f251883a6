import { randomUUID } from 'node:crypto';
import type { Sql } from '../../db/client.js';
import { tokenHash, userByTokenHash, type AuthenticatedUser } from './tokens.js';

/** Where db/migrations/031_token_invalidation.sql's triggers announce a changed token or user. */
export const INVALIDATION_CHANNEL = 'api_token_invalidation';

export const DEFAULT_TOKEN_CACHE_SIZE = 10_000;

const running = new Set<TokenCache>();

/**
 * Waits until every cache of this process has heard what was committed before the call: for a seed or a test
 * that changes users or tokens in the database and then calls the API in the same process.
 */
export async function tokenCachesSettled(): Promise<void> {
  await Promise.all([...running].map((cache) => cache.settled()));
}

export interface TokenCacheOptions {
  /** The most tokens kept; the least recently used goes first (TOKEN_CACHE_SIZE). */
  maxEntries?: number;
  /**
   * How often (default 1 s) the listener is checked by a round trip on its channel. postgres.js relistens after a
   * dropped connection but gives up if the database refuses that one attempt; the beat notices and listens again.
   */
  heartbeatMs?: number;
  /** How long (default 1 s) a round trip on the channel may take before the listener is taken for lost. */
  roundTripTimeoutMs?: number;
}

/**
 * Token hash -> user, per API process, so a request with a known token reads no row. Correct only while this
 * process hears every invalidation: entries are kept and served only while the LISTEN connection is up, and
 * dropped whenever it (re)connects, since messages sent while it was down are lost.
 *
 * What is left: a cached token passes between a commit and its message reaching this process (a local round
 * trip), and while a dropped listener is being re-established (at worst a heartbeat plus a round-trip timeout,
 * when postgres.js gave up relistening). A write through this process's /authority routes waits for the
 * message before it answers (api/auth/middleware.ts).
 *
 * Unknown, revoked or inactive tokens are not cached at all: a new token works at once without an insert
 * message, a flood of random tokens costs what it cost before (one indexed read each) and can neither grow
 * memory nor push valid tokens out of the cache.
 */
export class TokenCache {
  readonly maxEntries: number;
  private readonly entries = new Map<string, AuthenticatedUser>();
  /** Bumped by every invalidation: a read that began before one must not store what it read. */
  private generation = 0;
  private live = false;
  private readonly roundTrips = new Map<string, () => void>();
  private unlisten: (() => Promise<void>) | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly heartbeatMs: number;
  private readonly roundTripTimeoutMs: number;

  constructor(private readonly sql: Sql, options: TokenCacheOptions = {}) {
    this.maxEntries = options.maxEntries ?? DEFAULT_TOKEN_CACHE_SIZE;
    this.heartbeatMs = options.heartbeatMs ?? 1_000;
    this.roundTripTimeoutMs = options.roundTripTimeoutMs ?? 1_000;
  }

  get size(): number {
    return this.entries.size;
  }

  /** Whether entries are being served (the listener is up). */
  get listening(): boolean {
    return this.live;
  }

  /** Starts listening; until the listener is up every lookup reads the database. */
  async start(): Promise<void> {
    running.add(this);
    this.heartbeat = setInterval(() => void this.check(), this.heartbeatMs);
    this.heartbeat.unref();
    await this.listen().catch(() => {
      /* the database is away: the heartbeat listens again */
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    running.delete(this);
    clearInterval(this.heartbeat);
    this.drop(false);
    await this.unlisten?.().catch(() => {});
  }

  async userByToken(token: string): Promise<AuthenticatedUser | undefined> {
    const hash = tokenHash(token);
    const cached = this.live ? this.entries.get(hash) : undefined;
    if (cached) {
      this.entries.delete(hash);
      this.entries.set(hash, cached);
      return cached;
    }
    const before = this.generation;
    const user = await userByTokenHash(this.sql, hash);
    if (user && this.live && this.generation === before) {
      this.entries.set(hash, user);
      if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    }
    return user;
  }

  /**
   * Resolves once this process has applied every invalidation committed before the call: the channel
   * delivers in commit order, so hearing our own later message means all earlier ones were heard.
   * A listener that does not answer in time is taken for lost and the cache emptied, which is as safe.
   */
  async settled(): Promise<void> {
    if (!this.live) return;
    const id = randomUUID();
    const heard = new Promise<void>((resolve) => this.roundTrips.set(id, resolve));
    let timer: NodeJS.Timeout | undefined;
    try {
      await this.sql`SELECT pg_notify(${INVALIDATION_CHANNEL}, ${`sync:${id}`})`;
      const late = new Promise<'late'>((resolve) => (timer = setTimeout(resolve, this.roundTripTimeoutMs, 'late')));
      if ((await Promise.race([heard, late])) === 'late') this.drop(false);
    } catch (err) {
      this.drop(false);
      // The pool was ended (its process is shutting down): nothing left to listen for.
      if ((err as { code?: unknown }).code === 'CONNECTION_ENDED') void this.stop();
    } finally {
      clearTimeout(timer);
      this.roundTrips.delete(id);
    }
  }

  private async listen(): Promise<void> {
    const { unlisten } = await this.sql.listen(
      INVALIDATION_CHANNEL,
      (payload) => this.onMessage(payload),
      // Called again by postgres.js after it reconnects: whatever was sent meanwhile is lost, so forget everything.
      () => this.drop(!this.stopped),
    );
    this.unlisten = unlisten;
  }

  /** The heartbeat: a lost listener that postgres.js did not bring back is listened again. */
  private async check(): Promise<void> {
    if (this.live) await this.settled();
    if (this.live || this.stopped) return;
    await this.unlisten?.().catch(() => {});
    await this.listen().catch(() => {
      /* the database is away: lookups read it (and fail) until a later beat listens again */
    });
  }

  private onMessage(payload: string): void {
    if (payload.startsWith('sync:')) {
      this.roundTrips.get(payload.slice(5))?.();
      return;
    }
    this.generation += 1;
    if (payload.startsWith('token:')) {
      this.entries.delete(payload.slice(6));
    } else if (payload.startsWith('user:')) {
      const name = payload.slice(5);
      for (const [hash, user] of this.entries) if (user.name === name) this.entries.delete(hash);
    } else {
      this.entries.clear();
    }
  }

  private drop(live: boolean): void {
    this.generation += 1;
    this.entries.clear();
    this.live = live;
  }
}
