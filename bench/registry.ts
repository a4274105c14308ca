/**
 * npm run bench -- registry
 *
 * Cold load of a partner's customer registry (the stream every purchase and registration of that
 * partner decides on): StreamRepository.load on an empty cache, from the embedded SQLite store, for
 * partners with 1,000 to 20,000 customers. Against, in the same run:
 *  - the read limit: readStream of the same events, no folding;
 *  - the fold as it was before (each event copying the registry's maps), kept only here, up to
 *    BENCH_REGISTRY_OLD_MAX customers (default 10,000: beyond it the old fold takes minutes).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StreamRepository, type StreamModel } from '@csp/application';
import { evolveCustomerRegistry, foldCustomerRegistry, initialCustomerRegistryState, type CustomerEvent, type CustomerRegistryState } from '@csp/customers';
import { customerRegistryStreamId } from '@csp/domain';
import { type NewEvent } from '@csp/event-store';
import { openSqliteEventStore } from '@csp/event-store/sqlite';
import { log, now, ratio, report, x } from './lib/common';

const SIZES = (process.env.BENCH_REGISTRY_SIZES ?? '1000,5000,10000,20000').split(',').map(Number);
const OLD_MAX = Number(process.env.BENCH_REGISTRY_OLD_MAX ?? 10_000);
const RUNS = 3;

const current: StreamModel<CustomerRegistryState, CustomerEvent> = {
  initialState: initialCustomerRegistryState,
  evolve: evolveCustomerRegistry,
  fold: foldCustomerRegistry,
};
/** The registry model before the fold: the repository evolves event by event, each copying the maps. */
const eventByEvent: StreamModel<CustomerRegistryState, CustomerEvent> = {
  initialState: initialCustomerRegistryState,
  evolve: (state, event) => {
    if (event.type !== 'CustomerRegistered') return state;
    const customer = event.data;
    return {
      byId: new Map(state.byId).set(customer.customerId, customer),
      byTenant: new Map(state.byTenant).set(customer.tenantId, customer.customerId),
      byDomain: new Map(state.byDomain).set(customer.domain, customer.customerId),
    };
  },
};

function registrations(partner: string, count: number): NewEvent[] {
  return Array.from({ length: count }, (_, i) => ({
    eventId: randomUUID(),
    type: 'CustomerRegistered',
    data: {
      customerId: randomUUID(),
      tenantId: randomUUID(),
      partnerTenantId: partner,
      name: `Customer ${i}`,
      domain: `customer-${i}.example`,
      market: 'FR',
      registeredAt: '2026-03-02T10:00:00.000Z',
    },
    metadata: { occurredAt: '2026-03-02T10:00:00.000Z', correlationId: randomUUID(), schemaVersion: 1 },
  }));
}

/** Best of RUNS, in ms. */
async function best(fn: () => Promise<void>): Promise<number> {
  let fastest = Infinity;
  for (let i = 0; i < RUNS; i++) {
    const t0 = now();
    await fn();
    fastest = Math.min(fastest, now() - t0);
  }
  return fastest;
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'csp-bench-registry-'));
  const store = openSqliteEventStore({ file: join(dir, 'events.sqlite') });
  const rows: unknown[][] = [];
  const cells: Record<string, unknown>[] = [];
  try {
    for (const size of SIZES) {
      const partner = randomUUID();
      const streamId = customerRegistryStreamId(partner);
      const events = registrations(partner, size);
      for (let i = 0; i < events.length; i += 1000) await store.append(streamId, events.slice(i, i + 1000), i === 0 ? 'no_stream' : BigInt(i - 1));
      log(`registry of ${size} customers`);
      const readMs = await best(async () => {
        for (let from = 0n; ; from += 1000n) if ((await store.readStream(streamId, { fromRevision: from, maxCount: 1000 })).length < 1000) break;
      });
      const loadMs = await best(async () => {
        const { state } = await new StreamRepository(store).load(streamId, current);
        if (state.byId.size !== size) throw new Error(`loaded ${state.byId.size} customers, expected ${size}`);
      });
      const oldMs =
        size <= OLD_MAX
          ? await best(async () => {
              const { state } = await new StreamRepository(store).load(streamId, eventByEvent);
              if (state.byId.size !== size) throw new Error(`loaded ${state.byId.size} customers, expected ${size}`);
            })
          : NaN;
      log(`  read ${readMs.toFixed(1)} ms, load ${loadMs.toFixed(1)} ms, event-by-event ${Number.isFinite(oldMs) ? `${oldMs.toFixed(0)} ms` : 'not run'}`);
      rows.push([size.toLocaleString('en-US'), x(ratio(readMs, loadMs)), x(ratio(oldMs, loadMs)), loadMs, readMs, Number.isFinite(oldMs) ? oldMs : undefined]);
      cells.push({ customers: size, loadMs, readMs, eventByEventMs: Number.isFinite(oldMs) ? oldMs : null });
    }
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return {
    name: 'registry',
    description:
      `Cold load of a partner's customer registry (StreamRepository.load, empty cache) from the embedded SQLite store, best of ${RUNS}. ` +
      'Baselines in the same run: the read limit (readStream of the same events in pages of 1,000, no folding) and the fold as it was before this change ' +
      `(each event copying the registry's three maps), up to ${OLD_MAX.toLocaleString('en-US')} customers.`,
    tables: [
      {
        title: 'Registry cold load vs the raw read and the event-by-event fold',
        columns: ['customers', 'load / raw read (speed)', 'speed-up over event by event', 'load ms', 'raw read ms', 'event by event ms'],
        rows,
      },
    ],
    data: { runs: RUNS, cells },
  };
}

export async function run(): Promise<void> {
  const started = now();
  report(await main(), started);
}
