import type { BaseOptions, PersistentSubscriptionToStreamSettings } from '@kurrent/kurrentdb-client';
import { ORDER_STREAM_PREFIX, streamCategory } from '@csp/domain';
import type { EventMetadata } from '../port';
import type { UpcasterChain } from '../upcasting';
import { isPersistentSubscriptionExists } from './errors';

/**
 * The order category: the server's `$by_category` system projection links every event of every
 * `order-<orderId>` stream into it (run projections with `KURRENTDB_RUN_PROJECTIONS=System` and
 * `KURRENTDB_START_STANDARD_PROJECTIONS=true`).
 */
export const ORDER_CATEGORY_STREAM = `$ce-${streamCategory(ORDER_STREAM_PREFIX)}`;

/** The group back-office services (billing, fraud, CRM) join as competing consumers. */
export const BACK_OFFICE_GROUP = 'back-office';

/**
 * Every setting spelled out, so what the server runs is what this file says:
 * - `resolveLinkTos`: the category stream holds links; consumers receive the order events they point to.
 * - `startFrom: 'start'`: a new group sees the whole order history, not only what comes after its creation.
 * - `RoundRobin`: events are shared between the connected members; add members to go faster.
 * - `messageTimeout` 30 s, `maxRetryCount` 10: an event neither acknowledged nor refused in 30 s
 *   is redelivered; after 10 redeliveries (timeouts or `retry` nacks) the server parks it in
 *   `$persistentsubscription-$ce-order::back-office-parked` for an operator to replay.
 * - checkpoints every 2 s, after at least 10 and at most 1,000 acknowledged events: a restarted
 *   server redelivers at most what came after the last checkpoint, so consumers are idempotent.
 * - buffers (live 500, read batch 20, history 500) and unlimited members: the client defaults.
 */
export const BACK_OFFICE_SUBSCRIPTION_SETTINGS: PersistentSubscriptionToStreamSettings = Object.freeze({
  resolveLinkTos: true,
  startFrom: 'start',
  consumerStrategyName: 'RoundRobin',
  messageTimeout: 30_000,
  maxRetryCount: 10,
  checkPointAfter: 2_000,
  checkPointLowerBound: 10,
  checkPointUpperBound: 1_000,
  maxSubscriberCount: 'unbounded',
  liveBufferSize: 500,
  readBatchSize: 20,
  historyBufferSize: 500,
  extraStatistics: false,
});

/** The one client call this module makes; the real client has it, tests pass a fake. */
export interface PersistentSubscriptionAdmin {
  createPersistentSubscriptionToStream(
    streamName: string,
    groupName: string,
    settings: PersistentSubscriptionToStreamSettings,
    options?: BaseOptions,
  ): Promise<void>;
}

/**
 * Creates the back-office group on the order category unless it exists. Safe to call from every
 * consumer at start-up: the one that comes first creates it, the others find it. An existing
 * group keeps its settings (changing them is an explicit update, not a side effect of a restart).
 */
export async function ensureBackOfficeSubscription(client: PersistentSubscriptionAdmin): Promise<'created' | 'exists'> {
  try {
    await client.createPersistentSubscriptionToStream(ORDER_CATEGORY_STREAM, BACK_OFFICE_GROUP, { ...BACK_OFFICE_SUBSCRIPTION_SETTINGS });
    return 'created';
  } catch (error) {
    if (isPersistentSubscriptionExists(error)) return 'exists';
    throw error;
  }
}

/** An event no redelivery will make readable (a deleted link target, a payload that is not JSON): park it at once. */
export class UnprocessableEventError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnprocessableEventError';
  }
}

/** What the client hands a persistent-subscription member, as far as a consumer reads it. */
export interface ResolvedOrderEvent {
  readonly event?: {
    readonly id: string;
    readonly type: string;
    readonly streamId: string;
    readonly revision: bigint;
    readonly isJson: boolean;
    readonly data: unknown;
    readonly metadata?: unknown;
  };
}

/** An order event as a back-office consumer handles it: its current shape, whatever it was stored as. */
export interface BackOfficeEvent {
  readonly eventId: string;
  readonly type: string;
  readonly streamId: string;
  readonly revision: bigint;
  readonly data: unknown;
  readonly metadata: EventMetadata;
}

/**
 * The order event of a delivery, upcast by the product's chain like every other reader's (the
 * server delivers events as stored: a DownloadLinkIssued written as version 1 has no
 * maxDownloads). An event written by a newer program throws UpcastingError: retry it once the
 * consumer is upgraded rather than parking it.
 */
export function backOfficeEventOf(resolved: ResolvedOrderEvent, upcasting: UpcasterChain): BackOfficeEvent {
  const event = resolved.event;
  if (!event) throw new UnprocessableEventError('a link whose order event was deleted');
  if (!event.isJson) throw new UnprocessableEventError(`${event.type} ${event.id} is not JSON`);
  return upcasting.upcast({
    eventId: event.id,
    type: event.type,
    streamId: event.streamId,
    revision: event.revision,
    data: event.data,
    metadata: (event.metadata ?? {}) as EventMetadata,
  });
}
