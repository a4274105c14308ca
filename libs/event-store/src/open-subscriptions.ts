import { EventStoreUnavailableError, type Subscription } from './port';

/**
 * The subscriptions a store has handed out that have not closed yet: closing the store stops each
 * one (after its batch in progress), and one that closes by itself, stopped or failed, is forgotten.
 */
export class OpenSubscriptions {
  private readonly open = new Set<Subscription>();
  private stopping = false;

  /** Starts a subscription, unless the store has begun to close: then none is started. */
  start<S extends Subscription>(subscribe: () => S): S {
    if (this.stopping) throw new EventStoreUnavailableError('The event store is closed');
    return this.track(subscribe());
  }

  track<S extends Subscription>(subscription: S): S {
    this.open.add(subscription);
    void subscription.closed.catch(() => undefined).finally(() => this.open.delete(subscription));
    return subscription;
  }

  async stopAll(): Promise<void> {
    this.stopping = true;
    await Promise.all([...this.open].map((subscription) => subscription.stop()));
  }
}
