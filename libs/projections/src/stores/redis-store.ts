import Redis, { ReplyError } from 'ioredis';
import { CheckpointConflictError, ReadModelStoreUnavailableError } from './port';
import type * as port from './port';

/*
 * Key layout (prefix defaults to "csp:"; see libs/projections/README.md):
 *   <prefix>rm:<model>:current              generation that queries read (string integer; absent = 1)
 *   <prefix>rm:<model>:lease                owner id of the projector applying events (PX ttl)
 *   <prefix>rm:<model>:g<n>:cp              checkpoint: position of the last event applied
 *   <prefix>rm:<model>:g<n>:fp              fingerprint of the projection that built the generation
 *   <prefix>rm:<model>:g<n>:d:<key>         a document, JSON
 *   <prefix>rm:<model>:g<n>:i:<index>       an ordered index: sorted set, every score 0, read BYLEX
 */

// One script applies a batch's changes and moves the checkpoint, atomically, and only if the
// checkpoint (and the lease, when given) is what the writer expects. Keys are built inside the
// script from one prefix: fine on a single Redis or a replica set, not on Redis Cluster.
const COMMIT = `
if ARGV[3] ~= '' and redis.call('GET', KEYS[2]) ~= ARGV[3] then return redis.error_reply('LEASE_LOST') end
if ARGV[6] ~= '' and (redis.call('GET', KEYS[3]) or '1') ~= ARGV[6] then return redis.error_reply('GENERATION_SWITCHED') end
local current = redis.call('GET', KEYS[1])
if not current then current = '' end
if current ~= ARGV[1] then return redis.error_reply('CHECKPOINT_MOVED ' .. current) end
local base = ARGV[5]
for _, op in ipairs(cjson.decode(ARGV[4])) do
  local kind = op[1]
  if kind == 'p' then redis.call('SET', base .. 'd:' .. op[2], op[3])
  elseif kind == 'd' then redis.call('DEL', base .. 'd:' .. op[2])
  elseif kind == 'a' then redis.call('ZADD', base .. 'i:' .. op[2], 0, op[3])
  elseif kind == 'r' then redis.call('ZREM', base .. 'i:' .. op[2], op[3]) end
end
redis.call('SET', KEYS[1], ARGV[2])
return 'OK'
`;

const LEASE = `
local holder = redis.call('GET', KEYS[1])
if holder == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1 end
if not holder then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 1 end
return 0
`;

const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

const CONNECT_TIMEOUT_MS = 2_000;
/** Longer than any one command here takes on a live Redis (MGET of DUMP_CHUNK keys, a batch's script). */
const COMMAND_TIMEOUT_MS = 10_000;

/**
 * What a failed command means to callers: a reply error is Redis refusing the command itself (a
 * bug or a script's own refusal, passed on as it is); anything else — the connection closed or
 * refused, retries or the timeout exhausted — is Redis not being there.
 */
function unavailableUnlessReply(error: unknown): unknown {
  if (error instanceof ReplyError || error instanceof ReadModelStoreUnavailableError) return error;
  return new ReadModelStoreUnavailableError(`Redis cannot be reached: ${(error as Error).message}`, { cause: error });
}

/** Keys per MGET / UNLINK: large enough to save round trips, small enough not to stall Redis. */
const DUMP_CHUNK = 1000;

export interface RedisReadModelStoreOptions {
  readonly url: string;
  readonly keyPrefix?: string;
}

/** The client with this store's scripts defined on it (ioredis sends EVALSHA, falling back to EVAL). */
interface ScriptedRedis extends Redis {
  cspCommit(
    cpKey: string,
    leaseKey: string,
    currentKey: string,
    expected: string,
    checkpoint: string,
    owner: string,
    ops: string,
    base: string,
    generation: string,
  ): Promise<string>;
  cspLease(leaseKey: string, owner: string, ttlMs: number): Promise<number>;
  cspRelease(leaseKey: string, owner: string): Promise<number>;
}

export class RedisReadModelStore implements port.ReadModelStore {
  readonly kind = 'redis' as const;
  readonly redis: Redis;
  private readonly scripts: ScriptedRedis;
  private readonly prefix: string;

  constructor(options: RedisReadModelStoreOptions) {
    this.prefix = options.keyPrefix ?? 'csp:';
    // Fail fast on a dead Redis instead of queueing commands forever: the runner sees the error,
    // logs it and retries from its stored checkpoint.
    // A command waits at most one reconnection (a few hundred ms) and never more than
    // COMMAND_TIMEOUT_MS: a query answers 503 promptly rather than hang on a dead Redis.
    this.redis = new Redis(options.url, {
      maxRetriesPerRequest: 1,
      connectTimeout: CONNECT_TIMEOUT_MS,
      commandTimeout: COMMAND_TIMEOUT_MS,
      retryStrategy: (attempt) => Math.min(attempt * 100, 1000),
    });
    // Command failures reach their callers; the connection's own error events would otherwise crash the process.
    this.redis.on('error', () => undefined);
    this.redis.defineCommand('cspCommit', { numberOfKeys: 3, lua: COMMIT });
    this.redis.defineCommand('cspLease', { numberOfKeys: 1, lua: LEASE });
    this.redis.defineCommand('cspRelease', { numberOfKeys: 1, lua: RELEASE });
    this.scripts = this.redis as ScriptedRedis;
  }

  private async run<T>(command: () => Promise<T>): Promise<T> {
    try {
      return await command();
    } catch (error) {
      throw unavailableUnlessReply(error);
    }
  }

  private model(model: string): string {
    return `${this.prefix}rm:${model}:`;
  }
  private base(ns: port.Namespace): string {
    return `${this.model(ns.model)}g${ns.generation}:`;
  }

  async currentGeneration(model: string): Promise<number> {
    const value = await this.run(() => this.redis.get(`${this.model(model)}current`));
    return value === null ? 1 : Number(value);
  }

  async switchGeneration(model: string, generation: number): Promise<void> {
    await this.run(() => this.redis.set(`${this.model(model)}current`, String(generation)));
  }

  async checkpoint(ns: port.Namespace): Promise<string | undefined> {
    return (await this.run(() => this.redis.get(`${this.base(ns)}cp`))) ?? undefined;
  }

  async commit(ns: port.Namespace, request: port.CommitRequest): Promise<void> {
    const ops = request.ops.map((op) => {
      switch (op.op) {
        case 'put':
          return ['p', op.key, JSON.stringify(op.value)];
        case 'del':
          return ['d', op.key];
        case 'index-add':
          return ['a', op.index, op.entry];
        case 'index-remove':
          return ['r', op.index, op.entry];
      }
    });
    try {
      await this.scripts.cspCommit(
        `${this.base(ns)}cp`,
        `${this.model(ns.model)}lease`,
        `${this.model(ns.model)}current`,
        request.expectedCheckpoint ?? '',
        request.checkpoint,
        request.leaseOwner ?? '',
        JSON.stringify(ops),
        this.base(ns),
        request.requireCurrentGeneration ? String(ns.generation) : '',
      );
    } catch (error) {
      const message = (error as Error).message;
      if (/^(ERR )?(LEASE_LOST|CHECKPOINT_MOVED|GENERATION_SWITCHED)/.test(message)) {
        throw new CheckpointConflictError(`${ns.model}#${ns.generation}: ${message}`);
      }
      throw unavailableUnlessReply(error);
    }
  }

  async get(ns: port.Namespace, key: string): Promise<unknown | undefined> {
    const text = await this.run(() => this.redis.get(`${this.base(ns)}d:${key}`));
    return text === null ? undefined : (JSON.parse(text) as unknown);
  }

  async getMany(ns: port.Namespace, keys: readonly string[]): Promise<(unknown | undefined)[]> {
    if (keys.length === 0) return [];
    const base = this.base(ns);
    const texts = await this.run(() => this.redis.mget(...keys.map((k) => `${base}d:${k}`)));
    return texts.map((text) => (text === null ? undefined : (JSON.parse(text) as unknown)));
  }

  async entries(ns: port.Namespace, index: string, range: port.EntryRange = {}): Promise<string[]> {
    let min = '-';
    if (range.after !== undefined && (range.from === undefined || range.after >= range.from)) min = `(${range.after}`;
    else if (range.from !== undefined) min = `[${range.from}`;
    const max = range.before !== undefined ? `(${range.before}` : '+';
    const key = `${this.base(ns)}i:${index}`;
    // A negative count is no limit.
    const paged = range.limit !== undefined || range.offset !== undefined;
    return this.run(() =>
      paged ? this.redis.zrangebylex(key, min, max, 'LIMIT', range.offset ?? 0, range.limit ?? -1) : this.redis.zrangebylex(key, min, max),
    );
  }

  async dump(ns: port.Namespace): Promise<port.ReadModelDump> {
    const base = this.base(ns);
    const keys = (await this.scan(base)).sort();
    const docKeys = keys.filter((k) => k.startsWith(`${base}d:`));
    const indexKeys = keys.filter((k) => k.startsWith(`${base}i:`));
    const docs: Record<string, unknown> = {};
    for (let i = 0; i < docKeys.length; i += DUMP_CHUNK) {
      const chunk = docKeys.slice(i, i + DUMP_CHUNK);
      const texts = await this.run(() => this.redis.mget(...chunk));
      chunk.forEach((key, j) => {
        const text = texts[j];
        if (text !== null && text !== undefined) docs[key.slice(base.length + 2)] = JSON.parse(text);
      });
    }
    const indexes: Record<string, string[]> = {};
    const pipeline = this.redis.pipeline();
    for (const key of indexKeys) pipeline.zrangebylex(key, '-', '+');
    const ranges = indexKeys.length > 0 ? ((await pipeline.exec()) ?? []) : [];
    indexKeys.forEach((key, j) => {
      const [error, entries] = ranges[j] ?? [new Error('no reply'), []];
      if (error) throw error;
      indexes[key.slice(base.length + 2)] = entries as string[];
    });
    const checkpoint = await this.checkpoint(ns);
    return { ...(checkpoint !== undefined ? { checkpoint } : {}), docs, indexes };
  }

  /** Every key under a prefix; SCAN, so a large read model never blocks Redis. */
  private async scan(prefix: string): Promise<string[]> {
    const pattern = `${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`;
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, found] = await this.run(() => this.redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000));
      cursor = next;
      keys.push(...found);
    } while (cursor !== '0');
    return keys;
  }

  async drop(ns: port.Namespace): Promise<void> {
    const keys = await this.scan(this.base(ns));
    for (let i = 0; i < keys.length; i += DUMP_CHUNK) await this.redis.unlink(...keys.slice(i, i + DUMP_CHUNK));
  }

  async acquireLease(model: string, owner: string, ttlMs: number): Promise<boolean> {
    const held = await this.run(() => this.scripts.cspLease(`${this.model(model)}lease`, owner, ttlMs));
    return held === 1;
  }

  async releaseLease(model: string, owner: string): Promise<void> {
    await this.run(() => this.scripts.cspRelease(`${this.model(model)}lease`, owner));
  }

  async builtBy(ns: port.Namespace): Promise<string | undefined> {
    return (await this.run(() => this.redis.get(`${this.base(ns)}fp`))) ?? undefined;
  }

  async recordBuiltBy(ns: port.Namespace, fingerprint: string): Promise<void> {
    await this.run(() => this.redis.set(`${this.base(ns)}fp`, fingerprint));
  }

  async leaseHolder(model: string): Promise<string | undefined> {
    // The key expires with the lease (PX), so whatever is there is held now.
    return (await this.run(() => this.redis.get(`${this.model(model)}lease`))) ?? undefined;
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
