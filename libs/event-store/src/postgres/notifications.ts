import { Client } from 'pg';
import type { Logger } from '@csp/config';
import { messageOf } from './errors';
import { NOTIFY_CHANNEL } from './schema';

const BACK_OFF = { initial: 100, max: 10_000 };

/**
 * One LISTEN connection per store, shared by its subscriptions: the trigger on `events` notifies
 * at each appending commit, whichever process made it. The connection is a dedicated client, not
 * one of the pool's (LISTEN belongs to a session). When it drops, it reconnects with back-off and
 * wakes every subscriber once connected again, as notifications sent meanwhile are lost; until
 * then the subscribers' polling covers for it.
 */
export class Notifications {
  /** Increases at each notification (or reconnection): a reader compares it before and after a read. */
  count = 0;
  private readonly listeners = new Set<() => void>();
  private client: Client | undefined;
  private running: Promise<void> | undefined;
  private closed = false;
  private sleeping: (() => void) | undefined;

  constructor(
    private readonly connectionString: string,
    private readonly logger?: Logger,
  ) {}

  /** Calls `listener` at each notification; connects on the first call. Returns the way to stop listening. */
  on(listener: () => void): () => void {
    this.listeners.add(listener);
    this.running ??= this.listen();
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.sleeping?.();
    await this.client?.end().catch(() => undefined);
    await this.running;
  }

  private notify(): void {
    this.count++;
    for (const listener of [...this.listeners]) listener();
  }

  private async listen(): Promise<void> {
    let delay = BACK_OFF.initial;
    while (!this.closed) {
      const client = new Client({
        connectionString: this.connectionString,
        application_name: 'csp-event-store-listen',
        keepAlive: true,
        connectionTimeoutMillis: 5_000,
      });
      const ended = new Promise<void>((resolve) => client.once('end', () => resolve()));
      let failure: unknown;
      // Without a listener, an 'error' on a client (a terminated backend) crashes the process.
      client.on('error', (error) => {
        failure = error;
      });
      client.on('notification', () => this.notify());
      // Known before it connects, so that close() can end a connection still being made.
      this.client = client;
      try {
        // A client ended while it connects (close() now) never settles its connect(): its end settles this.
        await Promise.race([client.connect(), ended.then(() => Promise.reject(new Error('Connection ended while connecting')))]);
        await client.query(`LISTEN ${NOTIFY_CHANNEL}`);
        if (this.closed) {
          await client.end();
          return;
        }
        if (delay > BACK_OFF.initial) this.logger?.info('Event store notifications resumed');
        delay = BACK_OFF.initial;
        this.notify();
        await ended;
      } catch (error) {
        failure = error;
        await client.end().catch(() => undefined);
      }
      this.client = undefined;
      if (this.closed) return;
      this.logger?.warn('Event store notifications lost; subscribers poll until they are back', {
        error: messageOf(failure ?? 'connection ended'),
        retryInMs: delay,
      });
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delay);
        this.sleeping = () => (clearTimeout(timer), resolve());
      });
      this.sleeping = undefined;
      delay = Math.min(delay * 2, BACK_OFF.max);
    }
  }
}
