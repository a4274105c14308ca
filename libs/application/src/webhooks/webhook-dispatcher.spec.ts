import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type EventStore } from '@csp/event-store';
import { openSqliteEventStore } from '@csp/event-store/sqlite';
import { MemoryReadModelStore } from '@csp/projections/memory';
import { ProductKeyVault } from '@csp/security';
import { WebhookDispatcher, type DispatchLease } from './webhook-dispatcher';
import { webhookStreamId } from './webhook-events';

const metadata = () => ({ occurredAt: '2026-03-02T10:00:00.000Z', correlationId: randomUUID(), schemaVersion: 1 });

/** A receiver that counts deliveries per event id. */
async function receiver(): Promise<{ url: string; deliveries: Map<string, number>; close(): Promise<void> }> {
  const deliveries = new Map<string, number>();
  const server: Server = createServer((request, response) => {
    const id = String(request.headers['x-csp-event-id']);
    deliveries.set(id, (deliveries.get(id) ?? 0) + 1);
    request.resume();
    request.on('end', () => response.writeHead(204).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, deliveries, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

const until = async (condition: () => boolean, ms = 10_000) => {
  const deadline = Date.now() + ms;
  while (!condition() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
  return condition();
};

describe('WebhookDispatcher with several processes', () => {
  let store: EventStore;
  let hook: Awaited<ReturnType<typeof receiver>>;
  const vault = new ProductKeyVault([randomBytes(32)]);
  const leases = new MemoryReadModelStore();
  const lease = (owner: string): DispatchLease => ({ ttlMs: 150, acquire: () => leases.acquireLease('webhook-dispatcher', owner, 150), release: () => leases.releaseLease('webhook-dispatcher', owner) });
  const dispatcher = (owner: string) => new WebhookDispatcher({ store, vault, lease: lease(owner), baseDelayMs: 10, checkpointEveryMs: 0 });
  const publish = async (count: number) => {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const eventId = randomUUID();
      ids.push(eventId);
      await store.append(`order-${randomUUID()}`, [{ eventId, type: 'OrderCancelled', data: { orderId: 'o' }, metadata: metadata() }], 'no_stream');
    }
    return ids;
  };

  beforeAll(async () => {
    store = openSqliteEventStore({ file: join(mkdtempSync(join(tmpdir(), 'csp-webhooks-')), 'events.sqlite'), pollIntervalMs: 20 });
    hook = await receiver();
    const webhookId = randomUUID();
    await store.append(
      webhookStreamId(webhookId),
      [
        {
          eventId: randomUUID(),
          type: 'WebhookRegistered',
          data: { webhookId, url: hook.url, secret: vault.encrypt('s3cret', { orderId: webhookId, keyId: 'webhook-secret' }), registeredAt: '2026-03-02T10:00:00.000Z', registeredBy: { sub: 'bo', tid: 't', roles: ['back-office'] } },
          metadata: metadata(),
        },
      ],
      'no_stream',
    );
  });
  afterAll(async () => {
    await hook.close();
    await store.close();
  });

  it('delivers each event once while one process holds the lease, and the other takes over when it stops', async () => {
    const a = dispatcher('a');
    const b = dispatcher('b');
    await a.start();
    await b.start();
    expect([a.delivering, b.delivering]).toEqual([true, false]);

    const first = await publish(15);
    expect(await until(() => first.every((id) => hook.deliveries.has(id)))).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(first.map((id) => hook.deliveries.get(id))).toEqual(first.map(() => 1));
    expect(b.delivering).toBe(false);

    // The holder stops (checkpointing, releasing the lease): the other one resumes from its checkpoint.
    await a.stop();
    expect(await until(() => b.delivering, 2_000)).toBe(true);
    const second = await publish(10);
    expect(await until(() => second.every((id) => hook.deliveries.has(id)))).toBe(true);
    await b.stop();
    expect([...first, ...second].map((id) => hook.deliveries.get(id))).toEqual([...first, ...second].map(() => 1));
  });
});
