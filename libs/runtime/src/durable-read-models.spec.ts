import { mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JsonLogger } from '@csp/application';
import { SqliteReadModelStore } from '@csp/projections/sqlite';
import { releaseAbandonedLeases } from './durable-read-models';

// The logger's Nest-free surface: @csp/application's class pulls Nest, which jest cannot load.
const silent = { info: () => undefined, warn: () => undefined } as unknown as JsonLogger;

describe('releaseAbandonedLeases', () => {
  let dir: string;
  let store: SqliteReadModelStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'csp-leases-'));
    store = new SqliteReadModelStore(join(dir, 'read-models.sqlite'));
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('releases the leases of processes of this machine that are gone or were this pid before, and keeps the others', async () => {
    const gone = `${hostname()}-2147483646-0badf00d`;
    const earlierIncarnation = `${hostname()}-${process.pid}-01dc0de0`;
    const alive = `${hostname()}-${process.ppid}-a11ce000`;
    const elsewhere = `another-host-1-e15e0000`;
    const holders = { gone, earlierIncarnation, alive, elsewhere };
    for (const [model, owner] of Object.entries(holders)) expect(await store.acquireLease(model, owner, 60_000)).toBe(true);
    await releaseAbandonedLeases(store, Object.keys(holders), silent);
    const left = Object.fromEntries(await Promise.all(Object.keys(holders).map(async (model) => [model, await store.leaseHolder(model)])));
    expect(left).toEqual({ gone: undefined, earlierIncarnation: undefined, alive, elsewhere });
  });
});
