/**
 * Generates a realistic event history with the real deciders — customers, purchases, key reveals,
 * links, downloads, cancellations — and appends it to an event store. Used by crash tests,
 * replay tests and benchmarks. Deterministic for a given seed.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decideCustomerRegistry, foldCustomerRegistry, initialCustomerRegistryState } from '@csp/customers';
import {
  customerRegistryStreamId,
  orderStreamId,
  parseCatalog,
  parseMarkets,
  parsePolicyTable,
  schemaVersionOf,
  type Actor,
  type DomainEvent,
} from '@csp/domain';
import { decideOrder, evolveOrder, initialOrderState, type OrderCommand } from '@csp/orders';
import type { EventStore, NewEvent } from '@csp/event-store';
import { random, seededUuid } from '../../libs/projections/src/testing/generated-history';

const ROOT = join(__dirname, '../..');
const read = (name: string) => JSON.parse(readFileSync(join(ROOT, 'config', name), 'utf8'));
const catalog = parseCatalog(read('catalog.json'), read('azure-unavailable-markets.json').markets);
const policies = parsePolicyTable(read('cancellation-policies.json'));
const markets = parseMarkets(read('iso-3166-1-alpha-2.json'));
const sellable = catalog.items.filter((i) => i.unavailableMarkets.length === 0);

export interface HistoryOptions {
  readonly partners?: number;
  readonly customersPerPartner?: number;
  readonly ordersPerCustomer?: number;
  readonly seed?: number;
  /** First purchase instant; later ones follow hour by hour. */
  readonly start?: string;
  /** Stop once about this many events were appended. */
  readonly maxEvents?: number;
  readonly onProgress?: (events: number) => void;
}

export interface GeneratedHistory {
  readonly events: number;
  readonly partners: string[];
  readonly customers: { customerId: string; tenantId: string; partnerTenantId: string }[];
  readonly first: string;
  readonly last: string;
}

export async function generateHistory(store: EventStore, options: HistoryOptions = {}): Promise<GeneratedHistory> {
  const rnd = random(options.seed ?? 42);
  const seed = options.seed ?? 42;
  const partners = Array.from({ length: options.partners ?? 2 }, (_, i) => seededUuid(`partner-${seed}-${i}`));
  const customers: GeneratedHistory['customers'] = [];
  let now = Date.parse(options.start ?? '2026-01-05T09:00:00.000Z');
  const first = new Date(now).toISOString();
  let total = 0;
  const max = options.maxEvents ?? Number.MAX_SAFE_INTEGER;
  const meta = (actor: Actor, at: number, type: string) => ({
    occurredAt: new Date(at).toISOString(),
    actor,
    correlationId: seededUuid(`c-${total}`),
    schemaVersion: schemaVersionOf(type),
  });
  const toNew = (events: DomainEvent<string, unknown>[], actor: Actor, at: number, salt: string): NewEvent[] =>
    events.map((e, i) => ({ eventId: seededUuid(`${seed}-${salt}-${i}`), type: e.type, data: e.data, metadata: meta(actor, at, e.type) }));
  const pending: Promise<unknown>[] = [];
  const flush = async () => {
    await Promise.all(pending.splice(0));
  };

  for (const [p, partner] of partners.entries()) {
    const agent: Actor = { sub: `agent-${p}`, tid: partner, roles: ['admin-agent'] };
    let registry = initialCustomerRegistryState;
    let registryRevision = -1n;
    for (let c = 0; c < (options.customersPerPartner ?? 5) && total < max; c++) {
      const customerId = seededUuid(`customer-${seed}-${p}-${c}`);
      const tenantId = seededUuid(`tenant-${seed}-${p}-${c}`);
      const market = ['FR', 'DE', 'US', 'AU', 'BR', 'JP'][Math.floor(rnd() * 6)]!;
      const registered = decideCustomerRegistry(
        {
          type: 'RegisterCustomer',
          data: { customerId, tenantId, partnerTenantId: partner, name: `Customer ${p}-${c}`, domain: `c${p}-${c}-${seed}.example`, market },
          metadata: { actor: agent, now: new Date(now).toISOString() },
        },
        registry,
        { markets },
      );
      registry = foldCustomerRegistry(registry, registered);
      await store.append(
        customerRegistryStreamId(partner),
        toNew(registered, agent, now, `reg-${p}-${c}`),
        registryRevision === -1n ? 'no_stream' : registryRevision,
      );
      registryRevision++;
      total += registered.length;
      customers.push({ customerId, tenantId, partnerTenantId: partner });

      for (let o = 0; o < (options.ordersPerCustomer ?? 10) && total < max; o++) {
        now += 3_600_000;
        const orderId = seededUuid(`order-${seed}-${p}-${c}-${o}`);
        const sku = sellable[Math.floor(rnd() * sellable.length)]!;
        let state = initialOrderState;
        const events: NewEvent[] = [];
        let t = now;
        const run = (command: OrderCommand, salt: string) => {
          const decided = decideOrder(command, state, { catalog, policies });
          state = decided.reduce(evolveOrder, state);
          events.push(...toNew(decided, agent, t, `${orderId}-${salt}`));
        };
        const m = () => ({ actor: agent, now: new Date(t).toISOString() });
        run(
          {
            type: 'PurchaseSoftware',
            data: {
              orderId,
              customer: { customerId, tenantId, partnerTenantId: partner, market },
              lines: [{ sku: sku.sku, quantity: 1 + Math.floor(rnd() * 5) }],
            },
            metadata: m(),
          },
          'buy',
        );
        const sel = { line: 1, version: sku.versions[0]!, language: sku.languages[0]!, fileType: sku.fileTypes[0]! };
        const reveals = 1 + Math.floor(rnd() * 3);
        for (let r = 0; r < reveals; r++) {
          t += 60_000;
          const keyId = seededUuid(`key-${orderId}`);
          run(
            {
              type: 'RevealKey',
              data: {
                orderId,
                ...sel,
                newKey: {
                  keyId,
                  fingerprint: `sha256:${keyId.replace(/-/g, '')}`,
                  material: { alg: 'A256GCM', kid: 'kek-gen', iv: 'aXY=', tag: 'dGFn', ciphertext: 'Y3Q=' },
                },
              },
              metadata: m(),
            },
            `reveal-${r}`,
          );
        }
        t += 60_000;
        run(
          {
            type: 'IssueDownloadLink',
            data: { orderId, ...sel, linkId: seededUuid(`link-${orderId}`), tokenHash: createHash('sha256').update(orderId).digest('hex') },
            metadata: m(),
          },
          'link',
        );
        const downloads = Math.floor(rnd() * 4);
        for (let d = 0; d < downloads; d++) {
          t += 60_000;
          run(
            {
              type: 'RecordDownload',
              data: { orderId, tokenHash: createHash('sha256').update(orderId).digest('hex'), client: { ip: '198.51.100.1' } },
              metadata: m(),
            },
            `dl-${d}`,
          );
        }
        if (rnd() < 0.3 && sku.cancellationClass === 'standard') {
          t += 3_600_000;
          run({ type: 'CancelOrder', data: { orderId, reason: 'generated' }, metadata: m() }, 'cancel');
        }
        pending.push(store.append(orderStreamId(orderId), events, 'no_stream'));
        total += events.length;
        if (pending.length >= 200) {
          await flush();
          options.onProgress?.(total);
        }
      }
    }
  }
  await flush();
  options.onProgress?.(total);
  return { events: total, partners, customers, first, last: new Date(now + 86_400_000).toISOString() };
}
