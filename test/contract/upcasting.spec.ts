/**
 * The real upcasting example: DownloadLinkIssued v1 (no `maxDownloads`; the limit was implicitly 50)
 * is read as v2 by the command side and by the projections, from a store where it was written raw.
 */
import { randomUUID } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { decideCustomerRegistry, initialCustomerRegistryState } from '@csp/customers';
import { customerRegistryStreamId, DomainError, orderStreamId, schemaVersionOf, type DomainEvent } from '@csp/domain';
import { decideOrder, evolveOrder, initialOrderState, orderStream, softwareListProjection, type OrderCommand, type OrderState } from '@csp/orders';
import { SoftwareListQueries } from '../../libs/orders/src/software-list/software-list.queries';
import { type EventStore, type NewEvent } from '@csp/event-store';
import { openSqliteEventStore } from '@csp/event-store/sqlite';
// The application's index loads Nest (ESM), which jest cannot require: import the modules themselves.
import { StreamRepository } from '../../libs/application/src/stream-repository';
import { upcastingEventStore } from '../../libs/application/src/upcasting';
import { eventMetadata } from '../../libs/application/src/context';
import { createReadSide, PRODUCT_STREAMS, rebuildReadModel } from '@csp/projections';
import { MemoryReadModelStore } from '@csp/projections/memory';
import { RedisReadModelStore } from '@csp/projections/redis';
import { PROJECTIONS } from '@csp/runtime/projections';
import { deleteKeys, REDIS_URL, redisForTests, testPrefix } from '../../libs/projections/src/testing/redis';
import { hashLinkSecret } from '@csp/security';
import { agent, CUSTOMER_ID, CUSTOMER_TENANT, env, markets, ORDER_ID, PARTNER } from '../../libs/domain/src/testing/fixtures';
import { client, mintToken, startServer } from '../support/server';

jest.setTimeout(60_000);

const T0 = '2026-03-02T10:00:00.000Z';
const LINK_SECRET = 'v1-link-secret-0123456789abcdefghijklmnopqr'; // 43 base64url characters, like a real one
const TOKEN = `${ORDER_ID}.${LINK_SECRET}`;
const LINK_ID = '55555555-5555-4555-8555-555555555555';

/** A customer, a purchase and a download link as a version 1 program stored them. */
async function writeV1History(store: EventStore): Promise<void> {
  const toNew = (events: DomainEvent<string, unknown>[], v1Link: boolean): NewEvent[] =>
    events.map((e) => {
      let data = e.data as Record<string, unknown>;
      let schemaVersion = schemaVersionOf(e.type);
      if (v1Link && e.type === 'DownloadLinkIssued') {
        const { maxDownloads: _dropped, ...v1 } = data;
        data = v1;
        schemaVersion = 1;
      }
      return { eventId: randomUUID(), type: e.type, data, metadata: { occurredAt: T0, actor: agent, correlationId: randomUUID(), schemaVersion } };
    });
  const registered = decideCustomerRegistry(
    {
      type: 'RegisterCustomer',
      data: { customerId: CUSTOMER_ID, tenantId: CUSTOMER_TENANT, partnerTenantId: PARTNER, name: 'Contoso', domain: 'contoso.example', market: 'FR' },
      metadata: { actor: agent, now: T0 },
    },
    initialCustomerRegistryState,
    { markets },
  );
  await store.append(customerRegistryStreamId(PARTNER), toNew(registered, false), 'no_stream');
  let state: OrderState = initialOrderState;
  const events: DomainEvent<string, unknown>[] = [];
  const commands: OrderCommand[] = [
    {
      type: 'PurchaseSoftware',
      data: {
        orderId: ORDER_ID,
        customer: { customerId: CUSTOMER_ID, tenantId: CUSTOMER_TENANT, partnerTenantId: PARTNER, market: 'FR' },
        lines: [{ sku: 'WS-STD', quantity: 1 }],
      },
      metadata: { actor: agent, now: T0 },
    },
    {
      type: 'IssueDownloadLink',
      data: { orderId: ORDER_ID, line: 1, version: '2025', language: 'en-us', fileType: 'x64', linkId: LINK_ID, tokenHash: hashLinkSecret(LINK_SECRET) },
      metadata: { actor: agent, now: T0 },
    },
  ];
  for (const command of commands) {
    const decided = decideOrder(command, state, env);
    state = decided.reduce(evolveOrder, state);
    events.push(...decided);
  }
  await store.append(orderStreamId(ORDER_ID), toNew(events, true), 'no_stream');
}

const tempFile = () => join(mkdtempSync(join(tmpdir(), 'csp-upcast-')), 'events.sqlite');

describe('DownloadLinkIssued v1 → v2 (maxDownloads: 50)', () => {
  let raw: EventStore;
  let store: EventStore;
  beforeEach(async () => {
    raw = openSqliteEventStore({ file: tempFile(), pollIntervalMs: 20 });
    store = upcastingEventStore(raw);
    await writeV1History(raw);
  });
  afterEach(() => store.close());

  it('is stored as v1, without maxDownloads, and read as v2 with maxDownloads 50', async () => {
    const stored = (await raw.readStream(orderStreamId(ORDER_ID))).find((e) => e.type === 'DownloadLinkIssued')!;
    expect(stored.metadata.schemaVersion).toBe(1);
    expect(stored.data).not.toHaveProperty('maxDownloads');
    const read = (await store.readStream(orderStreamId(ORDER_ID))).find((e) => e.type === 'DownloadLinkIssued')!;
    expect(read.metadata).toEqual(expect.objectContaining({ schemaVersion: 2, upcastFrom: 1 }));
    expect(read.data).toEqual({ ...(stored.data as object), maxDownloads: 50 });
  });

  it('the repository loads the link with its 50 downloads, and the 51st is refused', async () => {
    const repository = new StreamRepository(store);
    const loaded = await repository.load(orderStreamId(ORDER_ID), orderStream);
    expect(loaded.state.domain.status === 'placed' && loaded.state.domain.links.get(LINK_ID)).toEqual(
      expect.objectContaining({ maxDownloads: 50, downloads: 0 }),
    );
    const download = (i: number) =>
      repository.execute(
        orderStreamId(ORDER_ID),
        orderStream,
        (state) =>
          decideOrder(
            {
              type: 'RecordDownload',
              data: { orderId: ORDER_ID, tokenHash: hashLinkSecret(LINK_SECRET), client: { ip: '198.51.100.7' } },
              metadata: { actor: agent, now: new Date(Date.parse(T0) + (i + 1) * 1000).toISOString() },
            },
            state.domain,
            env,
          ),
        { metadata: (e) => ({ occurredAt: T0, correlationId: 'c', schemaVersion: schemaVersionOf(e.type) }) },
      );
    for (let i = 0; i < 50; i++) await download(i);
    const refused = await download(50).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(DomainError);
    expect((refused as DomainError).code).toBe('link_exhausted');
    // A fresh repository (no cache) folds the stored v1 event again, through the same upcaster.
    const reloaded = await new StreamRepository(store).load(orderStreamId(ORDER_ID), orderStream);
    expect(reloaded.state.domain.status === 'placed' && reloaded.state.domain.links.get(LINK_ID)).toEqual(
      expect.objectContaining({ maxDownloads: 50, downloads: 50 }),
    );
    const last = (await store.readStream(orderStreamId(ORDER_ID))).at(-1)!;
    expect(last.data).toEqual(expect.objectContaining({ downloadNumber: 50, downloadsRemaining: 0 }));
  });

  it('the projections (live runner and rebuild) show the link with 50 downloads allowed', async () => {
    const readSide = createReadSide({ eventStore: store, store: new MemoryReadModelStore(), projections: PROJECTIONS, project: true });
    await readSide.start();
    try {
      expect(await readSide.waitFor(await store.headPosition(), 5_000)).toBe(true);
      const live = await new SoftwareListQueries(readSide.store).softwareList(CUSTOMER_ID, new Date(Date.parse(T0) + 3_600_000));
      expect(live.items[0]!.downloadLinks).toEqual([expect.objectContaining({ linkId: LINK_ID, downloads: 0, downloadsRemaining: 50, status: 'active' })]);
    } finally {
      await readSide.stop();
    }
    const scratch = new MemoryReadModelStore();
    await rebuildReadModel({ eventStore: store, store: scratch, projection: softwareListProjection, streamPrefixes: PRODUCT_STREAMS });
    const rebuilt = await new SoftwareListQueries(scratch).softwareList(CUSTOMER_ID, new Date(Date.parse(T0) + 3_600_000));
    expect(rebuilt.items[0]!.downloadLinks).toEqual([expect.objectContaining({ linkId: LINK_ID, downloadsRemaining: 50 })]);
  });
});

describe('the schema version written', () => {
  it('is per event type: 2 for DownloadLinkIssued, 1 for the others', () => {
    const context = { actor: agent, correlationId: 'c', requestId: 'r' };
    const metadata = (type: string) => eventMetadata(context, new Date(T0), { partnerTenantId: PARTNER }, type);
    expect(metadata('DownloadLinkIssued').schemaVersion).toBe(2);
    expect(metadata('SoftwareDownloaded').schemaVersion).toBe(1);
    expect(metadata('SoftwarePurchased').schemaVersion).toBe(1);
  });
});

describe('the service over a store holding a v1 link', () => {
  it('counts downloads through the link to 50, refuses the 51st with 410, and its read models agree', async () => {
    const file = tempFile();
    const raw = openSqliteEventStore({ file });
    await writeV1History(raw);
    await raw.close();
    const server = await startServer({ dataDir: join(file, '..'), clockStart: '2026-03-03T10:00:00Z' });
    try {
      const call = client(server.baseUrl);
      const statuses: number[] = [];
      for (let i = 0; i < 51; i++) statuses.push((await call('GET', `/v1/downloads/${TOKEN}`)).status);
      expect(new Set(statuses.slice(0, 50))).toEqual(new Set([200]));
      expect(statuses[50]).toBe(410);
      const token = mintToken(server.secret, { sub: 'agent-1', tid: PARTNER, roles: ['admin-agent'] });
      const software = await call('GET', `/v1/customers/${CUSTOMER_ID}/software`, token);
      expect(software.status).toBe(200);
      expect(software.body.items[0].downloadLinks).toEqual([
        expect.objectContaining({ linkId: LINK_ID, downloads: 50, downloadsRemaining: 0, status: 'exhausted' }),
      ]);
    } finally {
      await server.stop();
    }
  });
});

describe('npm run projections:rebuild over a store holding a v1 link', () => {
  const ROOT = resolve(__dirname, '../..');
  const REBUILD = join(ROOT, 'dist/apps/cli/src/projections/rebuild.js');
  const at = new Date(Date.parse(T0) + 3_600_000);
  const v1Store = async () => {
    const file = tempFile();
    const raw = openSqliteEventStore({ file });
    await writeV1History(raw);
    await raw.close();
    return join(file, '..');
  };

  it('rebuilds into memory through the composition root: the link in its current shape (50 downloads)', async () => {
    const dataDir = await v1Store();
    // Nest ships ES modules that jest cannot load on Node 20: run the compiled rebuild in a child process.
    const script = `
      const { loadConfig } = require(${JSON.stringify(join(ROOT, 'dist/libs/config/src'))});
      const { readModelsNamed } = require(${JSON.stringify(join(ROOT, 'dist/apps/cli/src/projections/rebuild-command'))});
      const { rebuildConfigured } = require(${JSON.stringify(REBUILD)});
      const { SoftwareListQueries } = require(${JSON.stringify(join(ROOT, 'dist/libs/orders/src/software-list/software-list.queries'))});
      (async () => {
        const config = loadConfig({ DATA_DIR: ${JSON.stringify(dataDir)}, LOG_LEVEL: 'silent' }, ${JSON.stringify(ROOT)});
        const rebuild = await rebuildConfigured(config, readModelsNamed('software-list'), { write: () => true });
        const list = await new SoftwareListQueries(rebuild.store).softwareList(${JSON.stringify(CUSTOMER_ID)}, new Date(${JSON.stringify(at.toISOString())}));
        await rebuild.close();
        process.stdout.write(JSON.stringify(list));
      })().catch((e) => { process.stderr.write(String(e && e.stack)); process.exit(1); });
    `;
    const list = JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } }));
    expect(list.items[0].downloadLinks).toEqual([expect.objectContaining({ linkId: LINK_ID, downloadsRemaining: 50, status: 'active' })]);
  });

  if (redisForTests('rebuild CLI into Redis')) {
    it('rebuilds into Redis (the CLI itself): the link in its current shape (50 downloads)', async () => {
      const dataDir = await v1Store();
      const prefix = testPrefix('rebuild-v1');
      execFileSync(process.execPath, [REBUILD, 'software-list'], {
        cwd: ROOT,
        encoding: 'utf8',
        env: { PATH: process.env.PATH ?? '', DATA_DIR: dataDir, REDIS_URL, REDIS_KEY_PREFIX: prefix, LOG_LEVEL: 'silent' },
      });
      const store = new RedisReadModelStore({ url: REDIS_URL, keyPrefix: prefix });
      try {
        const list = await new SoftwareListQueries(store).softwareList(CUSTOMER_ID, at);
        expect(list.items[0]!.downloadLinks).toEqual([expect.objectContaining({ linkId: LINK_ID, downloadsRemaining: 50, status: 'active' })]);
      } finally {
        await deleteKeys(store.redis, prefix);
        await store.close();
      }
    });
  }
});
