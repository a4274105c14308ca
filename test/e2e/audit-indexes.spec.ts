/**
 * The auditors' replay by partner, customer or user reads the event store's key-access indexes
 * (libs/audit key-access.rules KEY_ACCESS_INDEXES, kept by each SQL store as the composition root
 * opens it) instead of every key-access event, and answers the same bytes as the scan of the whole
 * log: on the embedded store and on PostgreSQL, for every scope, combinations of scopes and ranges
 * from a whole history down to one instant, also for instants written with a zone offset near the
 * range's edges, and from a store that has no index (read as before).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KEY_ACCESS_INDEXES, type AuditQuery } from '@csp/audit';
import { exportKeyAccessReport } from '@csp/audit/history';
import { loadConfig } from '@csp/config';
import { orderStreamId } from '@csp/domain';
import type { EventStore, RecordedEvent } from '@csp/event-store';
import { openSqliteEventStore } from '@csp/event-store/sqlite';
import { JsonLogger } from '../../libs/application/src/logging/json-logger';
import { upcastingEventStore } from '../../libs/application/src/upcasting';
import { openRawEventStore } from '../../libs/runtime/src/configured-stores';
import { createTestDatabase, postgresForTests, type TestDatabase } from '../../libs/event-store/src/postgres/testing/database';
import { generateHistory, type GeneratedHistory } from '../support/history';
import { withoutIndexedReads } from '../support/without-indexes';

jest.setTimeout(180_000);

const logger = new JsonLogger('silent');
const withPostgres = postgresForTests('audit replay through the key-access indexes');
/** The product's event store as every entry point opens it (the composition root's choice of adapter and indexes). */
const openConfigured = async (env: Record<string, string>, readOnly = false) => upcastingEventStore(await openRawEventStore(loadConfig(env), logger, readOnly));

/** The report of a query, as the audit CLI writes it (JSON lines with digests). */
async function report(store: EventStore, query: AuditQuery): Promise<string> {
  let text = '';
  await exportKeyAccessReport(store, query, 'jsonl', (chunk) => {
    text += chunk;
  });
  return text;
}

/** The store, read as a store without indexes reads: every key-access event of the log. */
const scanning = withoutIndexedReads;
/** The store, counting its indexed reads. */
function counting(store: EventStore): { store: EventStore; indexedReads: () => number } {
  let reads = 0;
  const readIndexed = store.readIndexed!.bind(store);
  return {
    store: {
      ...withoutIndexedReads(store),
      readIndexed: (index, options) => {
        reads++;
        return readIndexed(index, options);
      },
    },
    indexedReads: () => reads,
  };
}

interface Shape {
  readonly name: string;
  readonly env: () => Promise<Record<string, string>>;
  readonly dispose?: () => Promise<void>;
}

let database: TestDatabase | undefined;
const shapes: Shape[] = [{ name: 'embedded SQLite', env: async () => ({ DATA_DIR: mkdtempSync(join(tmpdir(), 'csp-audit-index-')) }) }];
if (withPostgres)
  shapes.push({
    name: 'PostgreSQL',
    env: async () => {
      database = await createTestDatabase();
      return {
        DATA_DIR: mkdtempSync(join(tmpdir(), 'csp-audit-index-pg-')),
        EVENTSTORE_URL: database.url,
        KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
        AUTH_JWT_SECRET: 'audit-indexes',
      };
    },
    dispose: async () => database?.drop(),
  });

describe.each(shapes)('audit replay through the key-access indexes: $name', (shape) => {
  let env: Record<string, string>;
  let store: EventStore;
  let history: GeneratedHistory;
  let accesses: RecordedEvent[];

  beforeAll(async () => {
    env = await shape.env();
    store = await openConfigured(env);
    history = await generateHistory(store, { partners: 3, customersPerPartner: 5, ordersPerCustomer: 8, seed: 29, start: '2026-02-27T20:00:00.000Z' });
    accesses = await store.readAll({ maxCount: 100_000, filter: { eventTypes: ['ProductKeyRevealed', 'DownloadLinkIssued', 'SoftwareDownloaded'] } });
    expect(accesses.length).toBeGreaterThan(100);
  });
  afterAll(async () => {
    await store?.close();
    await shape.dispose?.();
  });

  const subOf = (event: RecordedEvent) => (event.data as { revealedBy?: { sub?: string } }).revealedBy?.sub;
  const atOf = (event: RecordedEvent) => {
    const d = event.data as Record<string, string>;
    return d.revealedAt ?? d.issuedAt ?? d.downloadedAt!;
  };

  it('answers every scope, combination and range with the bytes of the whole-log scan, reading the index', async () => {
    const partner = history.partners[1]!;
    const customer = history.customers[7]!;
    const user = subOf(accesses.find((e) => (e.data as { partnerTenantId: string }).partnerTenantId === customer.partnerTenantId && subOf(e))!);
    const instants = accesses.map(atOf).sort();
    const mid = instants[Math.floor(instants.length / 2)]!;
    const ranges = [
      { from: '2026-01-01', to: '2026-12-31' },
      { from: '2026-03-01', to: '2026-03-01' },
      { from: instants[10]!, to: instants[40]! },
      { from: mid, to: mid },
    ];
    const scopes: Omit<AuditQuery, 'from' | 'to'>[] = [
      { partnerTenantId: partner },
      { customerId: customer.customerId },
      { user: user! },
      { partnerTenantId: customer.partnerTenantId, user: user! },
    ];
    const otherPartner = history.partners.find((p) => p !== customer.partnerTenantId)!;
    let nonEmpty = 0;
    for (const scope of scopes)
      for (const range of ranges) {
        const query = { ...scope, ...range };
        const viaIndex = counting(store);
        const indexed = await report(viaIndex.store, query);
        expect({ query, indexedReads: viaIndex.indexedReads() > 0 }).toEqual({ query, indexedReads: true });
        expect({ query, indexed }).toEqual({ query, indexed: await report(scanning(store), query) });
        // A header and a trailer around the entries.
        if (indexed.trim().split('\n').length > 2) nonEmpty++;
      }
    expect(nonEmpty).toBeGreaterThanOrEqual(10);
    // A customer named with a partner it does not belong to: nothing, whichever is read.
    const mismatch = { partnerTenantId: otherPartner, customerId: customer.customerId, from: '2026-01-01', to: '2026-12-31' };
    expect(await report(store, mismatch)).toBe(await report(scanning(store), mismatch));
    expect((await report(store, mismatch)).trim().split('\n')).toHaveLength(2);
  });

  it('finds an access whose instant is written with a zone offset, across the edges of the range', async () => {
    const template = accesses.find((e) => e.type === 'ProductKeyRevealed')!;
    const data = template.data as Record<string, unknown>;
    const orderId = randomUUID();
    // In the range, written with local dates outside it: 2026-03-31T23:30Z in +05:00 and 2026-03-31T01:30Z in -05:00.
    // Out of it, written with local dates inside: 2026-04-01T00:30Z in -03:00 and 2026-03-30T23:00Z in +05:00.
    const written = [
      '2026-04-01T04:30:00+05:00',
      '2026-03-31T21:30:00-03:00',
      '2026-03-30T20:30:00-05:00',
      '2026-03-31T04:00:00+05:00',
      '2026-03-31T23:59:59.999Z',
      '2026-04-01T00:00:00.000Z',
    ];
    await store.append(
      orderStreamId(orderId),
      written.map((revealedAt) => ({ eventId: randomUUID(), type: 'ProductKeyRevealed', data: { ...data, orderId, revealedAt }, metadata: template.metadata })),
      'no_stream',
    );
    const query = { partnerTenantId: data.partnerTenantId as string, from: '2026-03-31T00:00:00Z', to: '2026-03-31' };
    const indexed = await report(store, query);
    expect(indexed).toBe(await report(scanning(store), query));
    const mine = indexed
      .split('\n')
      .filter((line) => line.includes(orderId))
      .map((line) => (JSON.parse(line) as { entry: { at: string } }).entry.at);
    expect(mine).toEqual(['2026-04-01T04:30:00+05:00', '2026-03-30T20:30:00-05:00', '2026-03-31T23:59:59.999Z']);
  });

  it('keeps the indexes for a reader that opens the store read-only (the audit CLI)', async () => {
    const reader = await openConfigured(env, true);
    try {
      const page = await reader.readIndexed!(KEY_ACCESS_INDEXES.partnerTenantId, {
        key: history.partners[0]!,
        from: '2026-01-01',
        before: '2027-01-01',
        maxCount: 5,
      });
      expect(page).toHaveLength(5);
    } finally {
      await reader.close();
    }
  });
});

describe('audit replay from an embedded store that has no index (opened without them)', () => {
  it('reads every key-access event, as before, and answers the same bytes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'csp-audit-noindex-'));
    const plain = openSqliteEventStore({ file: join(dir, 'events.sqlite') });
    try {
      const history = await generateHistory(plain, { partners: 2, customersPerPartner: 3, ordersPerCustomer: 4, seed: 31 });
      expect(await plain.readIndexed(KEY_ACCESS_INDEXES.partnerTenantId, { key: history.partners[0]!, from: '2026', before: '2027' })).toBeUndefined();
      const query = { partnerTenantId: history.partners[0]!, from: '2026-01-01', to: '2026-12-31' };
      const text = await report(plain, query);
      expect(text.split('\n').length).toBeGreaterThan(10);
      expect(text).toBe(await report(scanning(plain), query));
    } finally {
      await plain.close();
    }
  });
});
