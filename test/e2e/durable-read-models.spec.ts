/**
 * The embedded default keeps its read models on disk (DATA_DIR/read-models.sqlite): a restart
 * resumes each model from its checkpoint instead of replaying the history, a model that cannot
 * continue (another event store, one ahead of it, another version of its projection) is rebuilt
 * from the first event, and a SIGKILL in the middle of a burst leaves read models that equal a
 * fresh rebuild of the same events.
 *
 * Resumption is shown from outside: a document altered on disk while the service is stopped is
 * still altered after the restart (a replay would have rewritten it), and rebuilt once the model's
 * recorded fingerprint says another projection built it.
 */
import { randomUUID } from 'node:crypto';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openSqliteEventStore } from '@csp/event-store/sqlite';
import { PRODUCT_STREAMS, rebuildReadModel } from '@csp/projections';
import { MemoryReadModelStore } from '@csp/projections/memory';
import { SqliteReadModelStore } from '@csp/projections/sqlite';
import { PROJECTIONS } from '@csp/runtime/projections';
import { client, mintToken, startServer, type RunningServer } from '../support/server';
import { generateHistory } from '../support/history';

jest.setTimeout(180_000);

const secret = `durable-${randomUUID()}`;
const partner = randomUUID();
const agent = mintToken(secret, { sub: 'agent', tid: partner, roles: ['admin-agent'] });
const admin = mintToken(secret, { sub: 'admin', tid: partner, roles: ['global-admin'] });
const env = { KEY_ENCRYPTION_KEY: Buffer.alloc(32, 9).toString('base64') };

function readModels(dataDir: string): Database.Database {
  return new Database(join(dataDir, 'read-models.sqlite'));
}

async function registerCustomer(server: RunningServer, name = 'Contoso'): Promise<string> {
  const res = await client(server.baseUrl)('POST', '/v1/customers', agent, { name, domain: `d-${randomUUID().slice(0, 8)}.example`, market: 'FR' });
  expect(res.status).toBe(201);
  return res.body.customerId as string;
}

/** Alters a customer's name in the read model on disk, as nothing in the product ever would. */
function alterName(dataDir: string, customerId: string, name: string): void {
  const db = readModels(dataDir);
  try {
    const row = db.prepare("SELECT key, value FROM documents WHERE model = 'customers' AND value LIKE ?").get(`%${customerId}%`) as {
      key: string;
      value: string;
    };
    db.prepare("UPDATE documents SET value = ? WHERE model = 'customers' AND key = ?").run(JSON.stringify({ ...JSON.parse(row.value), name }), row.key);
  } finally {
    db.close();
  }
}

const nameOf = async (server: RunningServer, customerId: string) =>
  (await client(server.baseUrl)('GET', `/v1/customers/${customerId}`, agent)).body.name as string;

it('resumes from its checkpoints after a restart, and rebuilds a model built by another version of its projection', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'csp-durable-'));
  let server = await startServer({ dataDir, secret, env });
  const customerId = await registerCustomer(server);
  expect(await nameOf(server, customerId)).toBe('Contoso');
  await server.stop();

  alterName(dataDir, customerId, 'Altered on disk');
  server = await startServer({ dataDir, secret, env });
  expect(await nameOf(server, customerId)).toBe('Altered on disk');
  // Events after the checkpoint are applied on top of what is there.
  const later = await registerCustomer(server, 'Fabrikam');
  expect(await nameOf(server, later)).toBe('Fabrikam');
  await server.stop();

  const db = readModels(dataDir);
  db.prepare("UPDATE fingerprints SET fingerprint = 'an older projection' WHERE model = 'customers'").run();
  db.close();
  server = await startServer({ dataDir, secret, env: { ...env, LOG_LEVEL: 'info' } });
  expect(await nameOf(server, customerId)).toBe('Contoso');
  expect(server.logs()).toMatch(/Read model rebuilt from the first event.*"model":"customers".*another version of its projection/);
  await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

it('rebuilds read models that were built from another event store, or from more events than the store holds', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'csp-durable-'));
  const other = mkdtempSync(join(tmpdir(), 'csp-durable-other-'));
  let server = await startServer({ dataDir, secret, env });
  await registerCustomer(server, 'Ours');
  await server.stop();
  server = await startServer({ dataDir: other, secret, env });
  const theirs = await registerCustomer(server, 'Theirs');
  await registerCustomer(server, 'Theirs too');
  await server.stop();

  // The data directory's event store replaced by another one: its read models describe nothing in it.
  copyFileSync(join(other, 'events.sqlite'), join(dataDir, 'events.sqlite'));
  server = await startServer({ dataDir, secret, env: { ...env, LOG_LEVEL: 'info' } });
  expect(await nameOf(server, theirs)).toBe('Theirs');
  expect(server.logs()).toMatch(/Read model rebuilt from the first event.*built from another event store/);
  await server.stop();

  // An older copy of the same event store put back (a restore): the read models are ahead of it.
  const older = join(other, 'older.sqlite');
  copyFileSync(join(dataDir, 'events.sqlite'), older);
  server = await startServer({ dataDir, secret, env });
  const newer = await registerCustomer(server, 'After the backup');
  await server.stop();
  copyFileSync(older, join(dataDir, 'events.sqlite'));
  server = await startServer({ dataDir, secret, env: { ...env, LOG_LEVEL: 'info' } });
  expect(server.logs()).toMatch(/Read model rebuilt from the first event.*ahead of the event store/);
  expect((await client(server.baseUrl)('GET', `/v1/customers/${newer}`, agent)).status).toBe(404);
  expect(await nameOf(server, theirs)).toBe('Theirs');
  await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(other, { recursive: true, force: true });
});

it('after a SIGKILL during a burst of purchases, read models equal a fresh rebuild of the same events', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'csp-durable-kill-'));
  const server = await startServer({ dataDir, secret, env });
  const call = client(server.baseUrl);
  const item = (await call('GET', '/v1/catalog', agent)).body.items[0];
  const customerId = await registerCustomer(server);
  const burst = Array.from({ length: 200 }, () =>
    call('POST', `/v1/customers/${customerId}/orders`, agent, { lines: [{ sku: item.sku, quantity: 1 }] }).catch(() => undefined),
  );
  await new Promise((resolve) => setTimeout(resolve, 300));
  await server.kill();
  await Promise.all(burst);

  // Restarted, it catches up from whatever checkpoints the kill left, and is then stopped cleanly.
  const again = await startServer({ dataDir, secret, env });
  const ready = client(again.baseUrl);
  for (let i = 0; i < 100 && (await ready('GET', '/health/ready')).status !== 200; i++) await new Promise((resolve) => setTimeout(resolve, 100));
  await again.stop();

  const events = openSqliteEventStore({ file: join(dataDir, 'events.sqlite'), readOnly: true });
  const durable = new SqliteReadModelStore(join(dataDir, 'read-models.sqlite'));
  try {
    for (const projection of PROJECTIONS) {
      const fresh = new MemoryReadModelStore();
      await rebuildReadModel({ eventStore: events, store: fresh, projection, streamPrefixes: PRODUCT_STREAMS });
      const model = projection.name;
      const expected = await fresh.dump({ model, generation: await fresh.currentGeneration(model) });
      const actual = await durable.dump({ model, generation: await durable.currentGeneration(model) });
      expect({ model, docs: actual.docs, indexes: actual.indexes }).toEqual({ model, docs: expected.docs, indexes: expected.indexes });
    }
  } finally {
    await durable.close();
    await events.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});

it('listens at once, before its application is loaded, on a history written without the event-store indexes and unseen by its read models: builds the indexes off the event loop, says starting until the read models caught up, takes commands meanwhile', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'csp-durable-start-'));
  // Without the key-access indexes, as by a release before them.
  const events = openSqliteEventStore({ file: join(dataDir, 'events.sqlite') });
  await generateHistory(events, { partners: 4, customersPerPartner: 100, ordersPerCustomer: 10, maxEvents: 40_000 });
  await events.close();
  const server = await startServer({ dataDir, secret, env, until: 'listening' });
  const call = client(server.baseUrl);
  try {
    const live = await call('GET', '/health/live');
    expect({ status: live.status, body: live.body }).toEqual({ status: 200, body: { status: 'ok' } });
    expect(server.logs()).not.toMatch(/Serving on port/);
    // Sent before the application serves, answered by it once it does; taken while the read models catch up.
    const customerId = await registerCustomer(server, 'While starting');
    const order = ['Listening on port', 'Building an index of the event store', 'Event store index built', 'Serving on port'].map((line) =>
      server.logs().indexOf(line),
    );
    expect(order.every((at, i) => at >= 0 && (i === 0 || at > order[i - 1]!))).toBe(true);
    const starting = await call('GET', '/health/ready');
    expect({ status: starting.status, body: starting.body.status }).toEqual({ status: 503, body: 'starting' });
    // A command that asks the customers read model whose customer it is: never a 404 for one just registered.
    const destroy = () => call('POST', `/v1/customers/${customerId}/key-material/destroy`, admin, { reason: 'offboarding' });
    const early = await destroy();
    expect(early.status === 200 || (early.status === 503 && early.body.error.code === 'read_model_behind')).toBe(true);
    let ready = starting;
    for (let i = 0; i < 600 && ready.status !== 200; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      ready = await call('GET', '/health/ready');
    }
    expect(ready.body.status).toBe('ready');
    expect(await nameOf(server, customerId)).toBe('While starting');
    expect((await destroy()).status).toBe(200);
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
