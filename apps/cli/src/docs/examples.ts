import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { customerRegistryStreamId, keyAccessThrottlingStreamId, orderStreamId, refundRequestStreamId, type Actor, type DomainEvent, type KeyAccessThrottled } from '@csp/domain';
import { decideCustomerRegistry, initialCustomerRegistryState, type CustomerKeyMaterialDestroyed } from '@csp/customers';
import { decideOrder, evolveOrder, initialOrderState, type OrderCommand, type OrderState } from '@csp/orders';
import { decideRefundRequest, evolveRefundRequest, initialRefundRequestState, type RefundRequestCommand, type RefundRequestState } from '@csp/refunds';
import type { EventMetadata } from '@csp/event-store';
import { hashLinkSecret } from '@csp/security';
// The module itself, not @csp/application: its index loads Nest, which this generator does not need.
import { eventMetadata } from '../../../../libs/application/src/context';
import { loadReferenceData } from '../../../../libs/application/src/reference-data';

/** An event as a consumer reads it (without the store-assigned revision, position and recordedAt). */
export interface ExampleEvent {
  readonly eventId: string;
  readonly type: string;
  readonly streamId: string;
  readonly data: unknown;
  readonly metadata: EventMetadata;
}

const PARTNER = '8b0e5a52-3c1f-4d8e-9a47-2f6b1c9d0e13';
const CUSTOMER_TENANT = 'c4d2a9e7-61b5-4f03-8e2d-7a9c3b5f1d20';
const CUSTOMER_ID = '0f7e6d5c-4b3a-4291-8807-f6e5d4c3b2a1';
const ORDER_ID = '5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d';
const KEY_ID = '9d8c7b6a-5f4e-4d3c-9b2a-1f0e9d8c7b6a';
const LINK_ID = '2e3f4a5b-6c7d-4e8f-9a0b-1c2d3e4f5a6b';
const REFUND_ID = '7c6b5a49-3827-4165-9c4b-3a2918f7e6d5';
const REJECTED_REFUND_ID = '6b5a4938-2716-4054-8b3a-29180f7e6d5c';
const agent: Actor = { sub: 'a.martin@partner.example', tid: PARTNER, roles: ['admin-agent'] };
const backOffice: Actor = { sub: 'billing-desk@csp.example', tid: PARTNER, roles: ['back-office'] };
const at = (minutes: number) => new Date(Date.parse('2026-03-02T09:30:00.000Z') + minutes * 60_000).toISOString();
/** A UUID-shaped id derived from text, so examples are the same at every generation. */
const uuidOf = (text: string) => {
  const h = createHash('sha256').update(text).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

/**
 * One example of each event type, produced by the real deciders from a scripted order life:
 * a customer registered, software bought, its key revealed, a download link issued and used, the
 * order cancelled, two refund requests (one approved, one rejected). Deterministic.
 */
export function exampleEvents(root: string): Map<string, ExampleEvent> {
  const config = (name: string) => join(root, 'config', name);
  const reference = loadReferenceData({
    catalogFile: config('catalog.json'),
    cancellationPoliciesFile: config('cancellation-policies.json'),
    azureUnavailableMarketsFile: config('azure-unavailable-markets.json'),
    marketsFile: config('iso-3166-1-alpha-2.json'),
  });
  const examples = new Map<string, ExampleEvent>();
  let step = 0;
  const record = (streamId: string, events: readonly DomainEvent<string, unknown>[], actor: Actor, occurredAt: string, tenants: { tenantId?: string; partnerTenantId?: string }) => {
    const context = { actor, correlationId: uuidOf(`correlation-${step}`), requestId: uuidOf(`request-${step}`) };
    step++;
    for (const event of events) {
      if (examples.has(event.type)) continue;
      examples.set(event.type, { eventId: uuidOf(`event-${event.type}`), type: event.type, streamId, data: event.data, metadata: eventMetadata(context, new Date(occurredAt), tenants, event.type) });
    }
  };

  const registered = decideCustomerRegistry(
    { type: 'RegisterCustomer', data: { customerId: CUSTOMER_ID, tenantId: CUSTOMER_TENANT, partnerTenantId: PARTNER, name: 'Contoso Ltd', domain: 'contoso.example', market: 'FR' }, metadata: { actor: agent, now: at(0) } },
    initialCustomerRegistryState,
    reference,
  );
  record(customerRegistryStreamId(PARTNER), registered, agent, at(0), { tenantId: CUSTOMER_TENANT, partnerTenantId: PARTNER });

  let order: OrderState = initialOrderState;
  const tenants = { tenantId: CUSTOMER_TENANT, partnerTenantId: PARTNER };
  const onOrder = (command: OrderCommand) => {
    const events = decideOrder(command, order, reference);
    order = events.reduce(evolveOrder, order);
    record(orderStreamId(ORDER_ID), events, command.metadata.actor, command.metadata.now, tenants);
  };
  const selection = { line: 1, version: '2022', language: 'en-us', fileType: 'x64' };
  const secret = 'Zm9yLWRvY3MtZXhhbXBsZS1vbmx5LW5vdC1hLXRva2Vu';
  onOrder({
    type: 'PurchaseSoftware',
    data: { orderId: ORDER_ID, customer: { customerId: CUSTOMER_ID, tenantId: CUSTOMER_TENANT, partnerTenantId: PARTNER, market: 'FR' }, lines: [{ sku: 'WS2025-STD', quantity: 2 }], idempotencyKey: 'po-2026-0042', requestHash: createHash('sha256').update('example purchase request').digest('hex') },
    metadata: { actor: agent, now: at(1) },
  });
  onOrder({
    type: 'RevealKey',
    data: {
      orderId: ORDER_ID,
      ...selection,
      newKey: {
        keyId: KEY_ID,
        fingerprint: `sha256:${createHash('sha256').update('example product key').digest('hex')}`,
        material: { alg: 'A256GCM', kid: 'kek-2026-01', iv: 'm2Vx0d1c5Qb8W3aZ', tag: 'Q2hhbmdlTWVJbkRvY3NPbmx5', ciphertext: 'c2FtcGxlLWNpcGhlcnRleHQtb2YtYS1wcm9kdWN0LWtleQ==' },
      },
    },
    metadata: { actor: agent, now: at(5) },
  });
  onOrder({ type: 'IssueDownloadLink', data: { orderId: ORDER_ID, ...selection, linkId: LINK_ID, tokenHash: hashLinkSecret(secret) }, metadata: { actor: agent, now: at(6) } });
  const linkActor: Actor = { sub: 'download-link', tid: ORDER_ID, roles: [] };
  onOrder({ type: 'RecordDownload', data: { orderId: ORDER_ID, tokenHash: hashLinkSecret(secret), client: { ip: '203.0.113.24', userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64)' } }, metadata: { actor: linkActor, now: at(12) } });
  onOrder({ type: 'CancelOrder', data: { orderId: ORDER_ID, reason: 'Customer bought the wrong edition' }, metadata: { actor: agent, now: at(2 * 24 * 60) } });

  const refund = (refundRequestId: string, decision: (state: RefundRequestState) => RefundRequestCommand) => {
    let state: RefundRequestState = initialRefundRequestState;
    const submit: RefundRequestCommand = {
      type: 'SubmitRefundRequest',
      data: {
        refundRequestId,
        partnerTenantId: PARTNER,
        customerTenantId: CUSTOMER_TENANT,
        customerId: CUSTOMER_ID,
        subscriptionId: 'ESU-7F3A-2026',
        reason: 'Windows 7 ESU bought for a machine decommissioned the same week',
        amountRequested: { amount: 19_900, currency: 'EUR' },
        contact: { name: 'Alice Martin', email: 'alice.martin@partner.example', phone: '+33 1 23 45 67 89' },
        attachments: ['decommissioning-report.pdf'],
      },
      metadata: { actor: agent, now: at(3 * 24 * 60) },
    };
    for (const command of [submit, decision(state)]) {
      const events = decideRefundRequest(command, state);
      state = events.reduce(evolveRefundRequest, state);
      record(refundRequestStreamId(refundRequestId), events, command.metadata.actor, command.metadata.now, tenants);
    }
  };
  refund(REFUND_ID, () => ({ type: 'ApproveRefundRequest', data: { refundRequestId: REFUND_ID, amount: 15_000, note: 'Approved for the unused months' }, metadata: { actor: backOffice, now: at(4 * 24 * 60) } }));
  refund(REJECTED_REFUND_ID, () => ({ type: 'RejectRefundRequest', data: { refundRequestId: REJECTED_REFUND_ID, reason: 'The licence was activated on 14 machines' }, metadata: { actor: backOffice, now: at(4 * 24 * 60) } }));

  // Recorded by the application rather than a decider: abuse limits and crypto-shredding.
  const throttled: KeyAccessThrottled = {
    type: 'KeyAccessThrottled',
    data: { action: 'reveal-key', scope: 'user', actor: { sub: agent.sub, tid: agent.tid, roles: [...agent.roles] }, orderId: ORDER_ID, limit: 60, windowSeconds: 60, throttledAt: at(7) },
  };
  record(keyAccessThrottlingStreamId(PARTNER), [throttled], agent, at(7), { tenantId: PARTNER });
  const globalAdmin: Actor = { sub: 'global-admin-1', tid: PARTNER, roles: ['global-admin'] };
  const destroyed: CustomerKeyMaterialDestroyed = {
    type: 'CustomerKeyMaterialDestroyed',
    data: { customerId: CUSTOMER_ID, tenantId: CUSTOMER_TENANT, partnerTenantId: PARTNER, reason: 'Customer offboarded; keys must become unreadable', destroyedAt: at(5 * 24 * 60), destroyedBy: { sub: globalAdmin.sub, tid: globalAdmin.tid, roles: [...globalAdmin.roles] } },
  };
  record(customerRegistryStreamId(PARTNER), [destroyed], globalAdmin, at(5 * 24 * 60), tenants);
  return examples;
}
