import { CheckpointConflictError, type CommitRequest, type EntryRange, type Namespace, type ReadModelDump, type ReadModelStore } from './port';

interface Generation {
  readonly docs: Map<string, unknown>;
  readonly indexes: Map<string, string[]>;
  checkpoint?: string;
}

/** Binary search for the first position whose entry is >= (or > when strict) the probe. */
function lowerBound(sorted: readonly string[], probe: string, strict = false): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const m = sorted[mid]!;
    if (m < probe || (strict && m === probe)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The embedded default: read models in this process's memory, rebuilt from the event store at
 * start-up. Documents are stored as JSON text so readers can never mutate what projections wrote.
 */
export class MemoryReadModelStore implements ReadModelStore {
  readonly kind = 'memory' as const;
  private readonly generations = new Map<string, Generation>();
  private readonly current = new Map<string, number>();
  private readonly leases = new Map<string, { owner: string; until: number }>();

  private gen(ns: Namespace): Generation {
    const id = `${ns.model}#${ns.generation}`;
    let g = this.generations.get(id);
    if (!g) {
      g = { docs: new Map(), indexes: new Map() };
      this.generations.set(id, g);
    }
    return g;
  }

  async currentGeneration(model: string): Promise<number> {
    return this.current.get(model) ?? 1;
  }

  async switchGeneration(model: string, generation: number): Promise<void> {
    this.current.set(model, generation);
  }

  async checkpoint(ns: Namespace): Promise<string | undefined> {
    return this.gen(ns).checkpoint;
  }

  async commit(ns: Namespace, request: CommitRequest): Promise<void> {
    const g = this.gen(ns);
    if (request.leaseOwner !== undefined) {
      const lease = this.leases.get(ns.model);
      if (!lease || lease.owner !== request.leaseOwner) throw new CheckpointConflictError(`The lease on ${ns.model} is held by another projector`);
    }
    if (request.requireCurrentGeneration && (this.current.get(ns.model) ?? 1) !== ns.generation) {
      throw new CheckpointConflictError(`${ns.model}#${ns.generation} is no longer the current generation`);
    }
    if (g.checkpoint !== request.expectedCheckpoint) {
      throw new CheckpointConflictError(`Checkpoint of ${ns.model}#${ns.generation} is ${g.checkpoint}, not ${request.expectedCheckpoint}`);
    }
    for (const op of request.ops) {
      switch (op.op) {
        case 'put':
          g.docs.set(op.key, JSON.stringify(op.value));
          break;
        case 'del':
          g.docs.delete(op.key);
          break;
        case 'index-add': {
          let list = g.indexes.get(op.index);
          if (!list) g.indexes.set(op.index, (list = []));
          // Entries mostly arrive in order: appending is the common case.
          if (list.length === 0 || list[list.length - 1]! < op.entry) list.push(op.entry);
          else {
            const at = lowerBound(list, op.entry);
            if (list[at] !== op.entry) list.splice(at, 0, op.entry);
          }
          break;
        }
        case 'index-remove': {
          const list = g.indexes.get(op.index);
          if (!list) break;
          const at = lowerBound(list, op.entry);
          if (list[at] === op.entry) list.splice(at, 1);
          break;
        }
      }
    }
    g.checkpoint = request.checkpoint;
  }

  async get(ns: Namespace, key: string): Promise<unknown | undefined> {
    const text = this.gen(ns).docs.get(key) as string | undefined;
    return text === undefined ? undefined : (JSON.parse(text) as unknown);
  }

  async getMany(ns: Namespace, keys: readonly string[]): Promise<(unknown | undefined)[]> {
    const docs = this.gen(ns).docs;
    return keys.map((key) => {
      const text = docs.get(key) as string | undefined;
      return text === undefined ? undefined : (JSON.parse(text) as unknown);
    });
  }

  async entries(ns: Namespace, index: string, range: EntryRange = {}): Promise<string[]> {
    const list = this.gen(ns).indexes.get(index) ?? [];
    let start = 0;
    if (range.from !== undefined) start = Math.max(start, lowerBound(list, range.from));
    if (range.after !== undefined) start = Math.max(start, lowerBound(list, range.after, true));
    const end = range.before !== undefined ? lowerBound(list, range.before) : list.length;
    start += range.offset ?? 0;
    const limit = range.limit ?? Number.MAX_SAFE_INTEGER;
    return list.slice(start, Math.max(start, Math.min(end, start + limit)));
  }

  async dump(ns: Namespace): Promise<ReadModelDump> {
    const g = this.gen(ns);
    const docs: Record<string, unknown> = {};
    for (const [key, text] of [...g.docs].sort(([a], [b]) => (a < b ? -1 : 1))) docs[key] = JSON.parse(text as string);
    const indexes: Record<string, string[]> = {};
    for (const [name, list] of [...g.indexes].sort(([a], [b]) => (a < b ? -1 : 1))) if (list.length > 0) indexes[name] = [...list];
    return { ...(g.checkpoint !== undefined ? { checkpoint: g.checkpoint } : {}), docs, indexes };
  }

  async drop(ns: Namespace): Promise<void> {
    this.generations.delete(`${ns.model}#${ns.generation}`);
  }

  async acquireLease(model: string, owner: string, ttlMs: number): Promise<boolean> {
    const lease = this.leases.get(model);
    const now = Date.now();
    if (lease && lease.owner !== owner && lease.until > now) return false;
    this.leases.set(model, { owner, until: now + ttlMs });
    return true;
  }

  async releaseLease(model: string, owner: string): Promise<void> {
    if (this.leases.get(model)?.owner === owner) this.leases.delete(model);
  }

  async leaseHolder(model: string): Promise<string | undefined> {
    const lease = this.leases.get(model);
    return lease && lease.until > Date.now() ? lease.owner : undefined;
  }

  async close(): Promise<void> {
    this.generations.clear();
  }
}
