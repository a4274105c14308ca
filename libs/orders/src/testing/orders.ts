import type { AccessedBy, Actor } from '@csp/domain';
import { agent, CUSTOMER_ID, CUSTOMER_TENANT, env, ORDER_ID, PARTNER } from '../../../domain/src/testing/fixtures';
import { deciderSpec } from '../../../domain/src/testing/given-when-then';
import type { OrderCommand } from '../order.commands';
import { decideOrder } from '../order.decide';
import type { OrderEvent, OrderRef, Selection } from '../order.events';
import type { OrderEnvironment } from '../order.rules';
import { evolveOrder, initialOrderState, type OrderState } from '../order.state';

/** Command builders and history helpers shared by the order specs; they read like the rules they test. */

export const H = 3_600_000;
export const D = 24 * H;
export const T0 = '2026-03-02T10:00:00.000Z';
/** The instant `plusMs` after `iso`, in the canonical form events use. */
export const at = (iso: string, plusMs = 0) => new Date(Date.parse(iso) + plusMs).toISOString();

export const orderDecider = (environment: OrderEnvironment = env) => ({
  initialState: initialOrderState,
  decide: (command: OrderCommand, state: OrderState) => decideOrder(command, state, environment),
  evolve: evolveOrder,
});
export const given = deciderSpec<OrderState, OrderCommand, OrderEvent>(orderDecider());

/** What every event of the fixture order repeats to route and scope it. */
export const orderRef: OrderRef = { orderId: ORDER_ID, customerId: CUSTOMER_ID, customerTenantId: CUSTOMER_TENANT, partnerTenantId: PARTNER };

/** The fixture agent as the events record who acted. */
export const agentBy: AccessedBy = { sub: agent.sub, tid: agent.tid, roles: [...agent.roles] };

const meta = (now: string, actor: Actor) => ({ actor, now });

export interface PurchaseOptions {
  readonly market?: string;
  readonly requestHash?: string;
  readonly idempotencyKey?: string;
  readonly actor?: Actor;
}

/** A line of a purchase as the partner asks for it: a SKU and how many. */
export const lineOf = (sku: string, quantity = 1) => ({ sku, quantity });

export const purchase = (now = T0, lines = [lineOf('WS-STD')], options: PurchaseOptions = {}): OrderCommand => ({
  type: 'PurchaseSoftware',
  data: {
    orderId: ORDER_ID,
    customer: { customerId: CUSTOMER_ID, tenantId: CUSTOMER_TENANT, partnerTenantId: PARTNER, market: options.market ?? 'FR' },
    lines,
    ...(options.idempotencyKey !== undefined ? { idempotencyKey: options.idempotencyKey } : {}),
    ...(options.requestHash !== undefined ? { requestHash: options.requestHash } : {}),
  },
  metadata: meta(now, options.actor ?? agent),
});

export const sel = (over: Partial<Selection> = {}): Selection => ({ line: 1, version: '2025', language: 'en-us', fileType: 'x64', ...over });
export const material = { alg: 'A256GCM' as const, kid: 'kek-1', iv: 'iv', tag: 'tag', ciphertext: 'ct' };

export const reveal = (now: string, over: Partial<Selection> & { keyType?: string; keyId?: string; actor?: Actor } = {}): OrderCommand => {
  const { keyType, keyId = 'key-1', actor = agent, ...selection } = over;
  return {
    type: 'RevealKey',
    data: { orderId: ORDER_ID, ...sel(selection), ...(keyType !== undefined ? { keyType } : {}), newKey: { keyId, fingerprint: `fp-${keyId}`, material } },
    metadata: meta(now, actor),
  };
};

export const issue = (now: string, linkId = 'link-1', over: Partial<Selection> = {}): OrderCommand => ({
  type: 'IssueDownloadLink',
  data: { orderId: ORDER_ID, ...sel(over), linkId, tokenHash: `hash-${linkId}` },
  metadata: meta(now, agent),
});

export const client = { sub: 'admin@contoso', ip: '203.0.113.9', userAgent: 'curl/8' };
export const download = (now: string, linkId = 'link-1'): OrderCommand => ({
  type: 'RecordDownload',
  data: { orderId: ORDER_ID, tokenHash: `hash-${linkId}`, client },
  metadata: meta(now, agent),
});

export const cancel = (now: string, lines?: number[]): OrderCommand => ({
  type: 'CancelOrder',
  data: { orderId: ORDER_ID, reason: 'customer request', ...(lines ? { lines } : {}) },
  metadata: meta(now, agent),
});

/** The events a sequence of accepted commands produces: "given" written as what happened. */
export function history(...commands: OrderCommand[]): OrderEvent[] {
  return historyAfter([], ...commands);
}

/** `past` followed by the events of further accepted commands. */
export function historyAfter(past: readonly OrderEvent[], ...commands: OrderCommand[]): OrderEvent[] {
  const events = [...past];
  for (const command of commands) events.push(...decideOrder(command, stateOf(events), env));
  return events;
}

export const stateOf = (events: readonly OrderEvent[]): OrderState => events.reduce(evolveOrder, initialOrderState);

/** Narrows an emitted event to its type, failing the test if it is another. */
type EventOf<T extends OrderEvent['type']> = Extract<OrderEvent, { type: T }>;

export function eventOf<T extends OrderEvent['type']>(event: OrderEvent | undefined, type: T): EventOf<T>['data'] {
  expect(event?.type).toBe(type);
  // TypeScript widens the data of a generic Extract to a union; the assertion above made it exact.
  return event!.data as unknown as EventOf<T>['data'];
}

/** The fixture order as most specs find it: one WS-STD line bought at T0, and nothing since. */
export const bought: readonly OrderEvent[] = history(purchase());
