/**
 * A back-office consumer (billing, fraud, CRM) of the order events, as a member of the
 * `back-office` persistent subscription group. Run several: KurrentDB shares the events between
 * them and redelivers what is not acknowledged.
 *
 *   EVENTSTORE_URL=kurrentdb://localhost:2113?tls=false node dist/libs/event-store/src/kurrentdb/examples/back-office-consumer.js
 */
import { KurrentDBClient, PARK, RETRY } from '@kurrent/kurrentdb-client';
import type { CreditIssued, OrderCancelled, SoftwarePurchased } from '@csp/domain';
import { BACK_OFFICE_GROUP, ensureBackOfficeSubscription } from '../persistent-subscriptions';
import { normaliseConnectionString } from '../client';

type OrderEventOfInterest = SoftwarePurchased | OrderCancelled | CreditIssued;

async function handle(event: OrderEventOfInterest): Promise<void> {
  switch (event.type) {
    case 'SoftwarePurchased':
      console.warn(`bill order ${event.data.orderId}: ${event.data.lines.length} line(s)`);
      break;
    case 'OrderCancelled':
      console.warn(`order ${event.data.orderId} cancelled (${event.data.lines.length} line(s))`);
      break;
    case 'CreditIssued':
      console.warn(`credit ${event.data.amount} ${event.data.currency} on the ${event.data.invoiceMonth} invoice`);
      break;
  }
}

async function main(): Promise<void> {
  const client = KurrentDBClient.connectionString(normaliseConnectionString(process.env.EVENTSTORE_URL ?? 'kurrentdb://localhost:2113?tls=false'));
  await ensureBackOfficeSubscription(client);
  const subscription = client.subscribeToPersistentSubscriptionToAll(BACK_OFFICE_GROUP);
  for await (const resolved of subscription) {
    const event = resolved.event;
    if (!event) continue;
    try {
      if (['SoftwarePurchased', 'OrderCancelled', 'CreditIssued'].includes(event.type)) {
        await handle({ type: event.type, data: event.data } as OrderEventOfInterest);
      }
      await subscription.ack(resolved);
    } catch (error) {
      // Retried up to the group's maxRetryCount, then parked for an operator to look at.
      await subscription.nack(resolved.retryCount >= 9 ? PARK : RETRY, (error as Error).message, resolved);
    }
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
