import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { digestHistory, EventStoreUnavailableError, formatPosition, TargetHoldsOtherEventsError, type EventStore, type NewEvent } from '@csp/event-store';
import { openSqliteEventStore } from '@csp/event-store/sqlite';
import { TenantKeyring, type DataKeyStore, type KeyBinding } from '@csp/security';
import { SqliteDataKeyStore } from '@csp/security/sqlite';
import { copyStore, type CopyStores } from '../copy';

/** A store and its keyring, as a product install has them. */
export interface Install {
  readonly events: EventStore;
  readonly keyring: DataKeyStore;
  close(): Promise<void>;
}

const kek = Buffer.alloc(32, 3);

export function embeddedInstall(): Install {
  const dir = mkdtempSync(join(tmpdir(), 'csp-copy-'));
  const events = openSqliteEventStore({ file: join(dir, 'events.sqlite') });
  const keyring = new SqliteDataKeyStore(join(dir, 'keyring.sqlite'));
  return {
    events,
    keyring,
    close: async () => {
      await events.close();
      await keyring.close();
    },
  };
}

const meta = () => ({ occurredAt: '2026-03-02T10:00:00.000Z', correlationId: randomUUID(), schemaVersion: 1 });

/** Orders whose events interleave, each with a product key encrypted under its tenant's data key; one tenant crypto-shredded. */
async function history(install: Install) {
  const keyring = new TenantKeyring(install.keyring, [kek]);
  const keys: { binding: KeyBinding; material: Awaited<ReturnType<TenantKeyring['encrypt']>>; plaintext: string }[] = [];
  const tenants = [randomUUID(), randomUUID(), randomUUID()];
  for (let i = 0; i < 24; i++) {
    const binding = { tenantId: tenants[i % 3]!, orderId: randomUUID(), keyId: randomUUID() };
    const plaintext = `K${String(i).padStart(4, '0')}-ABCDE-FGHIJ-KLMNO-PQRST`;
    const material = await keyring.encrypt(plaintext, binding);
    keys.push({ binding, material, plaintext });
    const events: NewEvent[] = [
      { eventId: randomUUID(), type: 'SoftwarePurchased', data: { orderId: binding.orderId, lines: [{ line: 1, amount: 1000 + i }] }, metadata: meta() },
      { eventId: randomUUID(), type: 'ProductKeyAssigned', data: { orderId: binding.orderId, keyId: binding.keyId, material }, metadata: meta() },
    ];
    await install.events.append(`order-${binding.orderId}`, events, 'no_stream');
    await install.events.append(
      `customers-${binding.tenantId}`,
      [{ eventId: randomUUID(), type: 'Touched', data: { i }, metadata: meta() }],
      i < 3 ? 'no_stream' : 'any',
    );
  }
  await keyring.destroy(tenants[2]!);
  // A webhook that delivered up to the key of the sixth order, as its dispatcher records it.
  const webhookId = randomUUID();
  const deliveredStream = `order-${keys[5]!.binding.orderId}`;
  const [delivered] = await install.events.readStream(deliveredStream, { fromRevision: 1n, maxCount: 1 });
  const checkpoint = { webhookId, position: formatPosition(delivered!.position), at: '2026-03-02T10:00:00.000Z' };
  const registered = {
    webhookId,
    url: 'https://billing.example/hooks',
    secret: { alg: 'A256GCM', kid: 'kek-x', iv: 'aXY=', tag: 'dGFn', ciphertext: 'Y3Q=' },
    registeredAt: checkpoint.at,
    registeredBy: { sub: 'billing', tid: randomUUID(), roles: ['back-office'] },
  };
  await install.events.append(
    `webhook-${webhookId}`,
    [
      { eventId: randomUUID(), type: 'WebhookRegistered', data: registered, metadata: meta() },
      { eventId: randomUUID(), type: 'WebhookCheckpointed', data: checkpoint, metadata: meta() },
    ],
    'no_stream',
  );
  return { keys, shredded: tenants[2]!, checkpoint, deliveredStream };
}

/** The target's events store failing after `appends` appends, as a server that goes away mid-copy. */
function failingAfter(store: EventStore, appends: number): EventStore {
  let left = appends;
  return Object.assign(Object.create(store) as EventStore, {
    append: (...args: Parameters<EventStore['append']>) =>
      left-- > 0 ? store.append(...args) : Promise.reject(new EventStoreUnavailableError('the target went away')),
    appendInOrder: undefined,
  });
}

/**
 * The embedded install copied to `target` (KurrentDB, whose keyring lives in its log), interrupted
 * half-way and resumed, then copied back to a fresh embedded install: the same history and digest
 * on every side, the same product keys revealed, a crypto-shredded tenant still shredded.
 */
export async function copyThereAndBack(target: Install): Promise<void> {
  const source = embeddedInstall();
  const back = embeddedInstall();
  try {
    const { keys, shredded, checkpoint, deliveredStream } = await history(source);
    const copy = (stores: CopyStores, final = false) => copyStore(stores, { sourceKeys: [kek], batchEvents: 10, final });

    const interrupted = { source, target: { events: failingAfter(target.events, 20), keyring: target.keyring } };
    await expect(copy(interrupted)).rejects.toBeInstanceOf(EventStoreUnavailableError);
    const partial = await digestHistory(target.events, { excludedStreamPrefixes: ['tenantDataKey-'] });
    expect(partial.events).toBeGreaterThan(0);
    expect(partial.events).toBeLessThan(74);

    const resumed = await copy({ source, target });
    expect(resumed.identical).toBe(true);
    expect(resumed.history.alreadyOnTarget).toBe(partial.events);
    expect(resumed.history.source).toEqual(await digestHistory(source.events));
    expect(resumed.keyring).toEqual(expect.objectContaining({ tenants: 3, destroyed: 1, written: 3 }));
    // The webhook's checkpoint names the source's position of an event: on the target, that event's.
    const there = formatPosition((await target.events.readStream(deliveredStream, { fromRevision: 1n, maxCount: 1 }))[0]!.position);
    expect(resumed.webhooks).toEqual(
      there === checkpoint.position ? [] : [{ webhookId: checkpoint.webhookId, sourcePosition: checkpoint.position, targetPosition: there }],
    );
    expect(resumed.webhooksMoved).toBe(false);
    // The last copy moves the checkpoint: the webhook's stream ends with the target's position of its event.
    const final = await copy({ source, target }, true);
    expect(final.webhooksMoved).toBe(final.webhooks.length > 0);
    const [last] = await target.events.readStream(`webhook-${checkpoint.webhookId}`, { direction: 'backwards', maxCount: 1 });
    expect(last!.data).toEqual(expect.objectContaining({ webhookId: checkpoint.webhookId, position: there }));

    const moved = new TenantKeyring(target.keyring, [kek]);
    for (const key of keys.filter((k) => k.binding.tenantId !== shredded)) expect(await moved.decrypt(key.material, key.binding)).toBe(key.plaintext);
    const gone = keys.find((k) => k.binding.tenantId === shredded)!;
    await expect(moved.decrypt(gone.material, gone.binding)).rejects.toThrow(/destroyed/);

    const returned = await copy({ source: target, target: back });
    expect(returned.identical).toBe(true);
    // The source's history, and the checkpoint the last copy moved.
    expect(returned.history.target).toEqual(await digestHistory(target.events, { excludedStreamPrefixes: ['tenantDataKey-'] }));
    expect(returned.history.target.events).toBe((await digestHistory(source.events)).events + (final.webhooksMoved ? 1 : 0));
    const home = new TenantKeyring(back.keyring, [kek]);
    for (const key of keys.filter((k) => k.binding.tenantId !== shredded)) expect(await home.decrypt(key.material, key.binding)).toBe(key.plaintext);
    expect(await back.keyring.read(shredded)).toEqual(expect.objectContaining({ state: 'destroyed' }));

    // An event the source does not have: the target is another history now, and refused.
    await target.events.append(`order-${randomUUID()}`, [{ eventId: randomUUID(), type: 'Foreign', data: {}, metadata: meta() }], 'no_stream');
    await expect(copy({ source, target })).rejects.toBeInstanceOf(TargetHoldsOtherEventsError);
  } finally {
    await source.close();
    await back.close();
  }
}
