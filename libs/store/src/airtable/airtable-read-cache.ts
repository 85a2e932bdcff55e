import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '@maskline/config';
import { RedisService } from '@maskline/redis';

// Our own writes update the cache at once; the TTL only bounds how long an edit
// made directly in Airtable by ops takes to show (5 minutes; "none" 15 s).
const HIT_TTL_MS = 5 * 60_000;
const MISS_TTL_MS = 15_000;

// Domain dates all end in "At"; JSON turns them into strings.
const reviveDates = (key: string, value: unknown) => (key.endsWith('At') && typeof value === 'string' ? new Date(value) : value);

// Drops a stale index entry only if nobody replaced it meanwhile.
const DROP_IF = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

type Entity = 'sitter' | 'client' | 'session';

/**
 * Read cache for the message path's lookups, in Redis so every process shares
 * it. Records live once under `<entity>:id:<id>`; lookups (`sitter:phone:...`)
 * map a value to an id and are checked against the record on read, so an
 * index left behind by a change (a reserved number moved, a session closed)
 * is never believed. Readers fill with SET NX and writers overwrite with SET,
 * so a reader that loaded a record before a write can never replace what the
 * writer put. Lists are versioned instead: any write bumps the version.
 * A failing Redis makes the cache a miss, never an error.
 */
@Injectable()
export class AirtableReadCache {
  private readonly logger = new Logger('AirtableReadCache');
  private readonly prefix: string;
  /** loads running in this process, so a burst of identical misses costs one request */
  private readonly loading = new Map<string, Promise<unknown>>();

  constructor(
    private readonly redis: RedisService,
    config: AppConfig,
  ) {
    this.prefix = `airtable:${config.store.airtable.baseId}:cache:`;
  }

  /** a record by id: cached, else load() and remember the answer (null included) */
  async record<T>(entity: Entity, id: string, load: () => Promise<T | null>): Promise<T | null> {
    const key = `${entity}:id:${id}`;
    const cached = await this.get<T>(key);
    if (cached.hit) return cached.value;
    return this.once(key, async () => {
      const value = await load();
      await this.set(key, value, true);
      return value;
    });
  }

  /** a record answered from the cache alone (hit false: Redis knows nothing) */
  peekRecord<T>(entity: Entity, id: string): Promise<{ hit: boolean; value: T | null }> {
    return this.get<T>(`${entity}:id:${id}`);
  }

  /** a lookup answered from the cache alone: hit false when Redis knows nothing (or only a stale index) */
  async peek<T extends { id: string }>(entity: Entity, index: string, value: string, matches: (record: T) => boolean): Promise<{ hit: boolean; value: T | null }> {
    const key = `${entity}:${index}:${value}`;
    const ref = await this.get<string>(key);
    if (!ref.hit) return { hit: false, value: null };
    if (ref.value === null) return { hit: true, value: null };
    const record = await this.get<T>(`${entity}:id:${ref.value}`);
    if (record.hit && record.value && matches(record.value)) return { hit: true, value: record.value };
    await this.dropIf(key, ref.raw!);
    return { hit: false, value: null };
  }

  /**
   * A record by a lookup value. `matches` re-checks the cached record (its
   * phone, status...) so a stale index reads as a miss. With trustMiss false a
   * cached "none" is loaded again (under a lock, before creating).
   */
  async lookup<T extends { id: string }>(
    entity: Entity,
    index: string,
    value: string,
    load: () => Promise<T | null>,
    matches: (record: T) => boolean,
    trustMiss = true,
  ): Promise<T | null> {
    const cached = await this.peek(entity, index, value, matches);
    if (cached.hit && (cached.value !== null || trustMiss)) return cached.value;
    const key = `${entity}:${index}:${value}`;
    const fill = async () => {
      const loaded = await load();
      await this.set(key, loaded?.id ?? null, true);
      if (loaded) await this.set(`${entity}:id:${loaded.id}`, loaded, true);
      return loaded;
    };
    // a caller that will create on a miss (under a lock) must not share an answer loaded before it held the lock
    return trustMiss ? this.once(key, fill) : fill();
  }

  /** after our own write: the record as it is now, and each lookup value that now names it (or nothing) */
  async put<T extends { id: string }>(entity: Entity, record: T, lookups: [index: string, value: string | null, id: string | null][] = []): Promise<void> {
    await Promise.all([
      this.set(`${entity}:id:${record.id}`, record, false),
      ...lookups.filter(([, v]) => v !== null).map(([index, value, id]) => this.set(`${entity}:${index}:${value}`, id, false)),
    ]);
  }

  /** drops a cached record so the next read loads it (when we cannot know its whole new state) */
  async evict(entity: Entity, id: string): Promise<void> {
    await this.redis.client.del(`${this.prefix}${entity}:id:${id}`).catch(() => undefined);
  }

  /** after deleting a record */
  async forget(entity: Entity, id: string): Promise<void> {
    await this.set(`${entity}:id:${id}`, null, false);
  }

  /** a list that any write to `version` invalidates */
  async list<T>(key: string, version: string, load: () => Promise<T[]>): Promise<T[]> {
    let v: string | null = null;
    try {
      const [current, raw] = await this.redis.client.mget(this.prefix + version, this.prefix + key);
      v = current;
      const stored = raw ? (JSON.parse(raw, reviveDates) as { version: string | null; items: T[] }) : null;
      if (stored && stored.version === v) return stored.items;
    } catch {
      return load();
    }
    // the version read BEFORE loading is stored: a write during the load makes this entry stale at once
    const items = await load();
    await this.redis.client.set(this.prefix + key, JSON.stringify({ version: v, items }), 'PX', HIT_TTL_MS).catch(() => undefined);
    return items;
  }

  /** stores a list just read under the lock that guards every change to it */
  async putList<T>(key: string, version: string, items: T[]): Promise<void> {
    try {
      const v = await this.redis.client.get(this.prefix + version);
      await this.redis.client.set(this.prefix + key, JSON.stringify({ version: v, items }), 'PX', HIT_TTL_MS);
    } catch (e) {
      this.logger.warn(`cache list write failed: ${(e as Error).message}`);
    }
  }

  async bump(version: string): Promise<void> {
    try {
      await this.redis.client.incr(this.prefix + version);
    } catch (e) {
      this.logger.warn(`cache version bump failed for ${version}: ${(e as Error).message}`);
    }
  }

  private once<T>(key: string, load: () => Promise<T>): Promise<T> {
    const running = this.loading.get(key);
    if (running) return running as Promise<T>;
    const started = load().finally(() => this.loading.delete(key));
    this.loading.set(key, started);
    return started;
  }

  private async get<T>(key: string): Promise<{ hit: boolean; value: T | null; raw?: string }> {
    try {
      const raw = await this.redis.client.get(this.prefix + key);
      if (raw === null) return { hit: false, value: null };
      return { hit: true, value: (JSON.parse(raw, reviveDates) as { v: T | null }).v, raw };
    } catch {
      return { hit: false, value: null };
    }
  }

  private async set(key: string, value: unknown, onlyIfAbsent: boolean): Promise<void> {
    const raw = JSON.stringify({ v: value ?? null });
    const ttl = value === null || value === undefined ? MISS_TTL_MS : HIT_TTL_MS;
    try {
      if (onlyIfAbsent) await this.redis.client.set(this.prefix + key, raw, 'PX', ttl, 'NX');
      else await this.redis.client.set(this.prefix + key, raw, 'PX', ttl);
    } catch (e) {
      // the write itself already landed in Airtable; a stale entry expires within HIT_TTL_MS
      this.logger.warn(`cache write failed for ${key.split(':')[0]}: ${(e as Error).message}`);
    }
  }

  private async dropIf(key: string, raw: string): Promise<void> {
    await this.redis.evalScript(DROP_IF, 1, this.prefix + key, raw).catch(() => undefined);
  }
}
