import { createHash } from 'node:crypto';
import type { RecordedEvent } from '@csp/event-store';
import { catalog, material, Scenario, type TestCustomer } from './scenario';

/** A UUID-shaped id derived from text: the same text always gives the same id. */
export function seededUuid(text: string): string {
  const h = createHash('sha256').update(text).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** A small deterministic PRNG (mulberry32): the same seed draws the same history. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface GeneratedHistoryOptions {
  /** Stop once at least this many events were recorded. */
  readonly events: number;
  readonly partners?: number;
  readonly customersPerPartner?: number;
  readonly seed?: number;
}

/**
 * A large, deterministic history made with the real deciders: customers of several partners buy
 * software, reveal keys again and again, issue links, download, and cancel some orders. The same
 * options give the same events, ids included, in any process: a crash test's child and its parent
 * build the same log, and a benchmark measures the same work every time.
 */
export function generatedHistory(options: GeneratedHistoryOptions): RecordedEvent[] {
  const seed = options.seed ?? 7;
  const draw = random(seed);
  let ids = 0;
  const scenario = new Scenario(() => seededUuid(`event-${seed}-${ids++}`));
  const skus = catalog.items.filter((i) => i.cancellationClass === 'standard');
  const partners = Array.from({ length: options.partners ?? 3 }, (_, p) => seededUuid(`partner-${seed}-${p}`));
  const customers: TestCustomer[] = [];
  let now = Date.parse('2026-01-05T09:00:00.000Z');
  const iso = () => new Date(now).toISOString();
  for (const [p, partnerTenantId] of partners.entries()) {
    for (let c = 0; c < (options.customersPerPartner ?? 20); c++) {
      const customer = {
        customerId: seededUuid(`customer-${seed}-${p}-${c}`),
        tenantId: seededUuid(`tenant-${seed}-${p}-${c}`),
        partnerTenantId,
        market: draw() < 0.2 ? 'AU' : 'FR',
      };
      scenario.register({ ...customer, name: `Customer ${p}-${c}`, domain: `c${p}-${c}-${seed}.example` }, iso());
      customers.push(customer);
    }
  }
  for (let n = 0; scenario.log.length < options.events; n++) {
    now += 600_000;
    const customer = customers[Math.floor(draw() * customers.length)]!;
    const orderId = seededUuid(`order-${seed}-${n}`);
    const sku = skus[Math.floor(draw() * skus.length)]!;
    scenario.purchase(orderId, customer, { [sku.sku]: 1 + Math.floor(draw() * 5) }, iso());
    const selection = { line: 1, version: sku.versions[0]!, language: sku.languages[0]!, fileType: sku.fileTypes[0]! };
    let t = now;
    const at = () => new Date((t += 60_000)).toISOString();
    for (let r = 0; r < 1 + Math.floor(draw() * 3); r++) {
      scenario.order(
        { type: 'RevealKey', data: { orderId, ...selection, newKey: { keyId: seededUuid(`key-${orderId}`), fingerprint: `sha256:${orderId}`, material } } },
        at(),
      );
    }
    const tokenHash = seededUuid(`token-${orderId}`);
    scenario.order({ type: 'IssueDownloadLink', data: { orderId, ...selection, linkId: seededUuid(`link-${orderId}`), tokenHash } }, at());
    for (let d = 0; d < Math.floor(draw() * 5); d++) {
      scenario.order({ type: 'RecordDownload', data: { orderId, tokenHash, client: { ip: '198.51.100.1', userAgent: 'generator' } } }, at());
    }
    if (draw() < 0.25) scenario.order({ type: 'CancelOrder', data: { orderId, reason: 'generated' } }, at());
  }
  return scenario.log;
}
