/**
 * What a back-office receiver of SSE or webhooks checks each delivery against: the committed
 * published schemas (docs/schemas/published/), read as a consumer reads them, with the validator
 * the contract tests use.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { randomUUID } from 'node:crypto';
import { validate, type JsonSchema } from '../../apps/cli/src/docs/json-schema';

const PUBLISHED = resolve(__dirname, '../../docs/schemas/published');
const schemas = new Map<string, JsonSchema | undefined>();
const schema = (file: string) => {
  if (!schemas.has(file)) {
    const path = join(PUBLISHED, file);
    schemas.set(file, existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as JsonSchema) : undefined);
  }
  return schemas.get(file);
};

/** Every way a received event departs from the published envelope and its type's published payload schema; [] when it conforms. */
export function publishedEventProblems(received: unknown): string[] {
  const event = received as { eventId?: unknown; type?: unknown; data?: unknown; metadata?: { schemaVersion?: unknown } };
  const name = `${String(event.type)} ${String(event.eventId)}`;
  const problems = validate(schema('PublishedEvent.json')!, received).map((p) => `${name}: ${p.path || 'the event'} ${p.message}`);
  const file = `${String(event.type)}.v${String(event.metadata?.schemaVersion)}.json`;
  const payload = schema(file);
  if (!payload) return [...problems, `${name}: no published schema ${file}`];
  return [...problems, ...validate(payload, event.data).map((p) => `${name}: data${p.path} ${p.message}`)];
}

/** The per-user key-access limit the back-office suites start the service with, so one burst records a KeyAccessThrottled. */
export const BURST_LIMIT = 3;

interface Answer {
  readonly status: number;
  readonly body: any;
}
type Call = (method: string, path: string, token?: string, body?: unknown) => Promise<Answer>;

/**
 * A real life of a customer and an order through the API, from which back office receives every
 * published event type: the customer registered, software bought, its key revealed (assigned, then
 * revealed), a download link issued and used, a burst of reveals refused (throttled), two refund
 * requests (approved with a credit, rejected), the order cancelled (keys and links revoked, the
 * credit), and the customer's key material destroyed — last, so a receiver knows it has everything
 * once it holds the CustomerKeyMaterialDestroyed of `customerId`. The service must run with
 * KEY_ACCESS_LIMIT_PER_USER = BURST_LIMIT.
 */
export async function backOfficeOrderLife(
  call: Call,
  baseUrl: string,
  token: (claims: { sub: string; tid: string; roles: string[] }) => string,
): Promise<{ customerId: string; orderId: string; productKey: string }> {
  const partner = randomUUID();
  const agent = token({ sub: `agent-${partner}`, tid: partner, roles: ['admin-agent'] });
  const backOffice = token({ sub: 'billing', tid: randomUUID(), roles: ['back-office'] });
  const must = async (status: number, method: string, path: string, who: string | undefined, body?: unknown) => {
    const answer = await call(method, path, who, body);
    if (answer.status !== status) throw new Error(`${method} ${path} answered ${answer.status}, not ${status}: ${JSON.stringify(answer.body)}`);
    return answer.body;
  };
  const item = (await must(200, 'GET', '/v1/catalog', agent)).items.find((i: any) => i.licenseType === 'perpetual' && i.cancellationClass === 'standard');
  const selection = { line: 1, version: item.versions[0], language: item.languages[0], fileType: item.fileTypes[0] };
  const customer = await must(201, 'POST', '/v1/customers', agent, { name: 'Back office', domain: `bo-${partner.slice(0, 8)}.example`, market: 'FR' });
  const order = await must(201, 'POST', `/v1/customers/${customer.customerId}/orders`, agent, { lines: [{ sku: item.sku, quantity: 1 }] });
  const keys = `/v1/orders/${order.orderId}/keys`;
  const { productKey } = await must(200, 'POST', keys, agent, selection);
  const link = await must(201, 'POST', `/v1/orders/${order.orderId}/download-links`, agent, selection);
  await must(200, 'GET', link.url.replace(/^https?:\/\/[^/]+/, baseUrl), undefined);
  const burst = token({ sub: `burst-${partner}`, tid: partner, roles: ['admin-agent'] });
  for (let i = 0; i < BURST_LIMIT; i++) await must(200, 'POST', keys, burst, selection);
  await must(429, 'POST', keys, burst, selection);
  const refund = (reason: string) =>
    must(201, 'POST', '/v1/refund-requests', agent, {
      tenantId: customer.tenantId,
      subscriptionId: `ESU-${partner.slice(0, 8)}`,
      reason,
      amount: 1_000,
      currency: 'EUR',
      contact: { name: 'Alice Martin', email: 'alice@partner.example', phone: '+33 1 23 45 67 89' },
    });
  await must(200, 'POST', `/v1/refund-requests/${(await refund('ESU for a decommissioned machine')).refundRequestId}/approve`, backOffice, {});
  await must(200, 'POST', `/v1/refund-requests/${(await refund('ESU bought twice')).refundRequestId}/reject`, backOffice, { reason: 'activated' });
  await must(200, 'POST', `/v1/orders/${order.orderId}/cancel`, agent, { reason: 'customer changed plans' });
  await must(200, 'POST', `/v1/customers/${customer.customerId}/key-material/destroy`, token({ sub: 'admin', tid: partner, roles: ['global-admin'] }), {
    reason: 'offboarded',
  });
  return { customerId: customer.customerId, orderId: order.orderId, productKey };
}

/** Whether a receiver holding `events` has all of the life of `customerId` (its last event arrived). */
export const holdsLifeOf = (events: readonly unknown[], customerId: string): boolean =>
  events.some(
    (e) => (e as { type?: string }).type === 'CustomerKeyMaterialDestroyed' && (e as { data?: { customerId?: string } }).data?.customerId === customerId,
  );

/** How many received events there are of each type, for the suites' summaries. */
export const countByType = (events: readonly unknown[]): Record<string, number> =>
  events.reduce<Record<string, number>>((counts, e) => {
    const type = String((e as { type?: unknown }).type);
    return { ...counts, [type]: (counts[type] ?? 0) + 1 };
  }, {});
