/**
 * A back-office consumer (billing here; fraud and CRM look the same) of the order events, as one
 * member of the `back-office` persistent subscription group on `$ce-order`. Run as many as
 * needed: the server shares the events between the members and redelivers what is not
 * acknowledged. Handlers must be idempotent (key on the event id): a redelivery is not a new fact.
 *
 *   EVENTSTORE_URL='kurrentdb://localhost:2113?tls=false' node dist/libs/event-store/src/kurrentdb/examples/back-office-consumer.js
 */
import { KurrentDBClient, PARK, RETRY, type PersistentSubscriptionToStreamResolvedEvent } from '@kurrent/kurrentdb-client';
import { EVENT_UPCASTERS, schemaVersionOf } from '@csp/domain';
import { type OrderStreamEvent } from '@csp/refunds';
import { UpcasterChain } from '../../upcasting';
import { normaliseConnectionString } from '../client';
import * as backOffice from '../persistent-subscriptions';

/** The product's upcasters: the server delivers events as stored, this consumer reads them as current. */
const upcasting = new UpcasterChain(EVENT_UPCASTERS, schemaVersionOf);

/**
 * What billing does with the order events it cares about; the others are acknowledged and ignored.
 * Every credit of an order is in its stream, cancellations' and approved refund requests' alike.
 */
async function bill(event: OrderStreamEvent, eventId: string): Promise<void> {
  switch (event.type) {
    case 'SoftwarePurchased':
      if (!Array.isArray(event.data.lines)) throw new backOffice.UnprocessableEventError(`SoftwarePurchased ${eventId} has no lines`);
      return report({ eventId, bill: event.data.orderId, lines: event.data.lines.length, taxInclusive: event.data.taxInclusive });
    case 'OrderCancelled':
      return report({ eventId, cancelled: event.data.orderId, lines: event.data.lines.length, wholeOrder: event.data.wholeOrder });
    case 'CreditIssued':
      return report({
        eventId,
        credit: event.data.creditId,
        amountMinor: event.data.amount,
        currency: event.data.currency,
        invoiceMonth: event.data.invoiceMonth,
      });
    default:
      return;
  }
}

function report(line: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

async function handle(resolved: PersistentSubscriptionToStreamResolvedEvent): Promise<void> {
  // With resolveLinkTos the category's link arrives with the order event it points to.
  const event = backOffice.backOfficeEventOf(resolved, upcasting);
  // The order streams hold only this product's events, written in the shapes of @csp/domain.
  await bill({ type: event.type, data: event.data } as OrderStreamEvent, event.eventId);
}

async function main(): Promise<void> {
  const client = KurrentDBClient.connectionString(normaliseConnectionString(process.env.EVENTSTORE_URL ?? 'kurrentdb://localhost:2113?tls=false'));
  await backOffice.ensureBackOfficeSubscription(client);
  const subscription = client.subscribeToPersistentSubscriptionToStream(backOffice.ORDER_CATEGORY_STREAM, backOffice.BACK_OFFICE_GROUP);
  const shutdown = () => void subscription.unsubscribe().then(() => client.dispose());
  process.once('SIGTERM', shutdown).once('SIGINT', shutdown);

  for await (const resolved of subscription) {
    try {
      await handle(resolved);
      await subscription.ack(resolved);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      // A transient failure is retried; the server parks the event itself after maxRetryCount redeliveries.
      const action =
        error instanceof backOffice.UnprocessableEventError || resolved.retryCount >= backOffice.BACK_OFFICE_SUBSCRIPTION_SETTINGS.maxRetryCount ? PARK : RETRY;
      await subscription.nack(action, message, resolved);
    }
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
