/**
 * Auditors' replay over a generated history of more than 10,000 events: `verify` agrees with the
 * activity-log read model and finds exactly the entry someone tampered with; replays of the same
 * range are byte-identical; an edited export is caught by `check-report`. The CLI runs compiled
 * (`npm run build` first; npm test does), the library in-process.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type EventStore, type NewEvent } from '@csp/event-store';
import { openSqliteEventStore } from '@csp/event-store/sqlite';
import { activityLogProjection, type ActivityEntry } from '@csp/audit';
import { ActivityLogQueries, replayKeyAccess, verifyKeyAccess } from '@csp/audit/history';
import { PRODUCT_STREAMS, rebuildReadModel, type ReadModelStore } from '@csp/projections';
import { RedisReadModelStore } from '@csp/projections/redis';
import { REDIS_URL, redisAvailable, testPrefix } from '../../libs/projections/src/testing/redis';
// The modules themselves: @csp/application's index loads Nest, which jest cannot require.
import { upcastingEventStore } from '../../libs/application/src/upcasting';
import { openActivityLogReadModel } from '../../libs/runtime/src/audit-read-model';
import { generateHistory, type GeneratedHistory } from '../support/history';

jest.setTimeout(120_000);

const ROOT = resolve(__dirname, '../..');
const MAIN = join(ROOT, 'dist/apps/cli/src/audit/main.js');
const FROM = '2026-01-01';
const TO = '2026-06-30';

let dataDir: string;
/** Reports go outside DATA_DIR: the CLI refuses to write where the event store and the keyring live. */
let reportsDir: string;
let store: EventStore;
let history: GeneratedHistory;
let partner: string;

interface Run {
  code: number | null;
  stdout: Buffer;
  stderr: string;
}

function audit(
  args: string[],
  env: Record<string, string> = {},
  whileRunning?: (child: ReturnType<typeof spawn>) => void,
): Promise<Run & { signal: NodeJS.Signals | null }> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, [MAIN, ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', DATA_DIR: dataDir, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.once('error', reject);
    child.once('close', (code, signal) => resolveRun({ code, signal, stdout: Buffer.concat(out), stderr: err }));
    whileRunning?.(child);
  });
}

/** Rewrites one stored activity-log entry, the way a bad write or a hand edit would. */
async function tamper(readModels: ReadModelStore, entryId: string, change: (entry: ActivityEntry) => ActivityEntry) {
  const ns = { model: activityLogProjection.name, generation: await readModels.currentGeneration(activityLogProjection.name) };
  const entry = (await readModels.get(ns, `entry:${entryId}`)) as ActivityEntry;
  const checkpoint = await readModels.checkpoint(ns);
  await readModels.commit(ns, { ops: [{ op: 'put', key: `entry:${entryId}`, value: change(entry) }], expectedCheckpoint: checkpoint, checkpoint: checkpoint! });
}

beforeAll(async () => {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`npm run build\` first (npm test does)`);
  dataDir = mkdtempSync(join(tmpdir(), 'csp-audit-'));
  reportsDir = mkdtempSync(join(tmpdir(), 'csp-audit-reports-'));
  const raw = openSqliteEventStore({ file: join(dataDir, 'events.sqlite') });
  history = await generateHistory(raw, { partners: 2, customersPerPartner: 12, ordersPerCustomer: 65, seed: 2026 });
  store = upcastingEventStore(raw);
  partner = history.partners[0]!;
});
afterAll(() => store?.close());

describe('audit over a history of more than 10,000 events', () => {
  it('the generated history is that large', () => {
    expect(history.events).toBeGreaterThanOrEqual(10_000);
  });

  it('verify (CLI, embedded store): the replay and the activity-log read model agree', async () => {
    const run = await audit(['verify', '--partner', partner, '--from', FROM, '--to', TO]);
    expect(run.stderr).toContain('projected from the event store into memory');
    expect(run.code).toBe(0);
    expect(run.stdout.toString()).toMatch(/^OK: 0 difference\(s\); (\d+) entries in the event store, \1 in the read model \(memory\)/m);
  });

  describe('verify (library) against a read model someone changed', () => {
    let readModel: Awaited<ReturnType<typeof openActivityLogReadModel>>;
    let head: Awaited<ReturnType<EventStore['headPosition']>>;
    const query = () => ({ partnerTenantId: partner, from: FROM, to: TO });
    const someEntry = async (kind: ActivityEntry['kind'], nth = 0) =>
      (await readModel.readModels.activityLog({ ...query(), limit: 1000 })).items.filter((i) => i.kind === kind)[nth]!;

    beforeEach(async () => {
      head = await store.headPosition();
      readModel = await openActivityLogReadModel({ redisKeyPrefix: '' }, store, head);
    });
    afterEach(() => readModel.close());

    it('finds no difference in the untouched read model', async () => {
      const result = await verifyKeyAccess({ eventStore: store, readModels: readModel.readModels, query: query(), replay: { until: head } });
      expect(result.replayed).toBeGreaterThan(1000);
      expect(result.inReadModel).toBe(result.replayed);
      expect(result.differences).toEqual([]);
    });

    it('reports exactly the one tampered entry, naming the field', async () => {
      const victim = await someEntry('key-revealed', 7);
      await tamper(readModel.store, victim.entryId, (e) => ({ ...e, actor: { ...e.actor, sub: 'someone-else' } }));
      const result = await verifyKeyAccess({ eventStore: store, readModels: readModel.readModels, query: query(), replay: { until: head } });
      expect(result.differences).toEqual([
        { kind: 'field-mismatch', entryId: victim.entryId, fields: [{ field: 'actorSub', replay: victim.actor.sub, readModel: 'someone-else' }] },
      ]);
    });

    it('reports an entry missing from the read model, and one the read model made up', async () => {
      const gone = await someEntry('software-downloaded', 3);
      const copied = await someEntry('download-link-issued', 5);
      const ns = { model: activityLogProjection.name, generation: await readModel.store.currentGeneration(activityLogProjection.name) };
      const checkpoint = await readModel.store.checkpoint(ns);
      const fake = { ...copied, entryId: '00000000-0000-4000-8000-000000000001' };
      const indexEntry = (e: ActivityEntry) => `${String(Date.parse(e.at)).padStart(15, '0')}|${e.position.padStart(20, '0')}|${e.entryId}`;
      await readModel.store.commit(ns, {
        ops: [
          { op: 'del', key: `entry:${gone.entryId}` },
          { op: 'put', key: `entry:${fake.entryId}`, value: fake },
          { op: 'index-add', index: `partner:${partner}`, entry: indexEntry(fake) },
        ],
        expectedCheckpoint: checkpoint,
        checkpoint: checkpoint!,
      });
      const result = await verifyKeyAccess({ eventStore: store, readModels: readModel.readModels, query: query(), replay: { until: head } });
      expect(result.differences).toEqual([
        expect.objectContaining({ kind: 'missing-in-read-model', entryId: gone.entryId }),
        expect.objectContaining({ kind: 'extra-in-read-model', entryId: fake.entryId }),
      ]);
    });
  });

  it('verify (CLI, REDIS_URL): reads the shared read model and exits 1 with exactly the tampered entry', async () => {
    if (!(await redisAvailable())) return;
    const prefix = testPrefix('audit');
    const redis = new RedisReadModelStore({ url: REDIS_URL, keyPrefix: prefix });
    try {
      await rebuildReadModel({ eventStore: store, store: redis, projection: activityLogProjection, streamPrefixes: PRODUCT_STREAMS });
      const victim = (
        await new ActivityLogQueries(redis).activityLog({
          partnerTenantId: history.customers[3]!.partnerTenantId,
          customerId: history.customers[3]!.customerId,
          from: FROM,
          to: TO,
        })
      ).items[2]!;
      await tamper(redis, victim.entryId, (e) => ({ ...e, at: new Date(Date.parse(e.at) + 1000).toISOString() }));
      const run = await audit(['verify', '--customer', history.customers[3]!.customerId, '--from', FROM, '--to', TO, '--format', 'jsonl'], {
        REDIS_URL,
        REDIS_KEY_PREFIX: prefix,
      });
      expect(run.code).toBe(1);
      const lines = run.stdout
        .toString()
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      expect(lines).toHaveLength(2);
      expect(lines[0]).toEqual({
        kind: 'field-mismatch',
        entryId: victim.entryId,
        fields: [{ field: 'at', replay: victim.at, readModel: new Date(Date.parse(victim.at) + 1000).toISOString() }],
      });
      expect(lines[1].summary).toEqual(expect.objectContaining({ differences: 1, readModel: 'redis' }));
    } finally {
      const generation = await redis.currentGeneration(activityLogProjection.name);
      await redis.drop({ model: activityLogProjection.name, generation });
      await redis.close();
    }
  });

  it('replay gives the same bytes for the same range, whatever the run, and the same final digest in every format', async () => {
    const csv = [join(reportsDir, 'a.csv'), join(reportsDir, 'b.csv')];
    for (const file of csv) {
      const run = await audit(['replay', '--partner', partner, '--from', FROM, '--to', TO, '--format', 'csv', '--out', file]);
      expect(run.code).toBe(0);
      expect(run.stdout.length).toBe(0);
    }
    const [a, b] = csv.map((f) => readFileSync(f));
    expect(a!.equals(b!)).toBe(true);
    const jsonl = await Promise.all([1, 2].map(() => audit(['replay', '--partner', partner, '--from', FROM, '--to', TO, '--format', 'jsonl'])));
    expect(jsonl[0]!.stdout.equals(jsonl[1]!.stdout)).toBe(true);
    const lines = jsonl[0]!.stdout.toString().trim().split('\n');
    const trailer = JSON.parse(lines.at(-1)!).trailer;
    expect(trailer.entries).toBe(lines.length - 2);
    expect(trailer.entries).toBeGreaterThan(1000);
    expect(a!.toString()).toContain(`# trailer: entries=${trailer.entries} final-digest=${trailer.finalDigest}\n`);
    expect(jsonl[0]!.stderr).toContain(`final digest ${trailer.finalDigest}`);
    // Global order, every entry of the partner, nothing else.
    const entries = lines.slice(1, -1).map((l) => JSON.parse(l).entry);
    expect(entries.every((e: { partnerTenantId: string }) => e.partnerTenantId === partner)).toBe(true);
    expect(entries.map((e: { position: string }) => Number(e.position))).toEqual(
      entries.map((e: { position: string }) => Number(e.position)).sort((x: number, y: number) => x - y),
    );
  });

  it('replays one order from its own stream, with exactly the entries a scan of the whole log finds for it', async () => {
    const all: Awaited<ReturnType<typeof collect>> = await collect(store, { partnerTenantId: partner, from: FROM, to: TO });
    const counts = new Map<string, number>();
    for (const entry of all) counts.set(entry.orderId, (counts.get(entry.orderId) ?? 0) + 1);
    const [busiest] = [...counts].sort((a, b) => b[1] - a[1])[0]!;
    let scans = 0;
    const watched: EventStore = Object.assign(Object.create(store) as EventStore, {
      readAll: (...args: Parameters<EventStore['readAll']>) => (scans++, store.readAll(...args)),
    });
    const byOrder = await collect(watched, { orderId: busiest, from: FROM, to: TO }, 2);
    expect(byOrder.length).toBeGreaterThan(2);
    expect(byOrder).toEqual(all.filter((entry) => entry.orderId === busiest));
    expect(scans).toBe(0);
    // A range inside the order's history, and an order nobody has.
    const middle = byOrder[Math.floor(byOrder.length / 2)]!.at;
    expect(await collect(watched, { orderId: busiest, from: middle, to: TO })).toEqual(byOrder.filter((entry) => Date.parse(entry.at) >= Date.parse(middle)));
    expect(await collect(watched, { orderId: '00000000-0000-4000-8000-000000000000', from: FROM, to: TO })).toEqual([]);
  });

  it('check-report says intact for an export as written, and edited once one byte of a CSV or JSONL export changed', async () => {
    const csv = join(reportsDir, 'report.csv');
    const jsonl = join(reportsDir, 'report.jsonl');
    expect((await audit(['replay', '--customer', history.customers[0]!.customerId, '--from', FROM, '--to', TO, '--format', 'csv', '--out', csv])).code).toBe(0);
    expect(
      (await audit(['replay', '--customer', history.customers[0]!.customerId, '--from', FROM, '--to', TO, '--format', 'jsonl', '--out', jsonl])).code,
    ).toBe(0);

    const intact = await audit(['check-report', csv, '--against-store']);
    expect(intact.stdout.toString()).toMatch(/^INTACT: .*report\.csv: \d+ entries, chain verified/);
    expect(intact.stdout.toString()).toContain('MATCHES THE STORE');
    expect(intact.code).toBe(0);
    expect((await audit(['check-report', jsonl])).code).toBe(0);

    for (const file of [csv, jsonl]) {
      const bytes = readFileSync(file);
      // One byte in the middle of an entry: a digit of a timestamp becomes another digit.
      const at = bytes.indexOf('2026-', Math.floor(bytes.length / 2)) + 3;
      const edited = Buffer.from(bytes);
      edited[at] = bytes[at] === 0x36 ? 0x37 : 0x36;
      writeFileSync(file, edited);
      const run = await audit(['check-report', file]);
      expect(run.code).toBe(1);
      expect(run.stdout.toString()).toMatch(/^EDITED: .* line \d+: the entry does not match its digest/);
    }
  });

  it('refuses a replay without a range, without a scope, or on a DATA_DIR without a store', async () => {
    expect((await audit(['replay', '--partner', partner, '--from', FROM])).code).toBe(2);
    expect((await audit(['replay', '--from', FROM, '--to', TO])).code).toBe(2);
    const empty = await audit(['replay', '--partner', partner, '--from', FROM, '--to', TO], { DATA_DIR: mkdtempSync(join(tmpdir(), 'csp-audit-empty-')) });
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('No event store at');
  });
});

async function collect(from: EventStore, query: Parameters<typeof replayKeyAccess>[1], batchSize?: number) {
  const entries = [];
  for await (const entry of replayKeyAccess(from, query, batchSize ? { batchSize } : {})) entries.push(entry);
  return entries;
}

/** Every entry of a folder, with the bytes of each file: what "nothing created or changed" compares. */
const snapshot = (dir: string): Record<string, unknown> =>
  Object.fromEntries(
    readdirSync(dir).map((name) => [
      name,
      statSync(join(dir, name)).isDirectory() ? snapshot(join(dir, name)) : readFileSync(join(dir, name)).toString('base64'),
    ]),
  );

/**
 * A small store of its own (the shared one must stay as generated), with one order whose key was
 * revealed to a `sub` full of terminal escapes, and optionally an event the replay cannot read at
 * the end of the log.
 */
async function craftedStore(options: { unreadableLast?: boolean } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'csp-audit-crafted-'));
  const crafted = openSqliteEventStore({ file: join(dir, 'events.sqlite') });
  const small = await generateHistory(crafted, { partners: 1, customersPerPartner: 2, ordersPerCustomer: 8, seed: 7 });
  const sample = (await crafted.readAll({ maxCount: 10_000, filter: { eventTypes: ['ProductKeyRevealed'] } }))[0]!;
  const orderId = randomUUID();
  const data = sample.data as { orderId: string; revealedBy: Record<string, unknown> };
  const hostileSub = '\u202eevil\x1b]0;owned\x07\x1b[2J';
  const copy = (over: Partial<NewEvent>): NewEvent => ({
    eventId: randomUUID(),
    type: sample.type,
    data: { ...data, orderId, revealedBy: { ...data.revealedBy, sub: hostileSub } },
    metadata: sample.metadata,
    ...over,
  });
  await crafted.append(`order-${orderId}`, [copy({})], 'no_stream');
  if (options.unreadableLast) await crafted.append(`order-${randomUUID()}`, [copy({ data: null as unknown as NewEvent['data'] })], 'no_stream');
  await crafted.close();
  return { dir, partner: small.partners[0]!, orderId, hostileSub };
}

describe('the audit CLI refuses what it cannot answer', () => {
  const range = ['--from', FROM, '--to', TO];

  describe('ids, as the API reads them', () => {
    it('an upper-case GUID names the same partner as the lower-case one: the same report, byte for byte', async () => {
      const lower = await audit(['replay', '--partner', partner, ...range, '--format', 'jsonl']);
      const upper = await audit(['replay', '--partner', partner.toUpperCase(), ...range, '--format', 'jsonl']);
      expect(upper.code).toBe(0);
      expect(upper.stdout.toString().split('\n').length).toBeGreaterThan(1000);
      expect(upper.stdout.equals(lower.stdout)).toBe(true);
    });

    it.each([
      ['--partner', 'not-an-id', /^--partner must be a partner tenant id \(a UUID\), got "not-an-id"/],
      ['--customer', '12345', /^--customer must be a customer id/],
      ['--order', 'order-1', /^--order must be an order id/],
    ])('%s %s exits 2 naming the option, instead of an empty history', async (option, value, message) => {
      const run = await audit(['replay', option, value, ...range]);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(message);
      expect(run.stdout.length).toBe(0);
    });
  });

  it('--to 2026-02-29 exits 2 naming --to instead of reading 1 March', async () => {
    const run = await audit(['replay', '--partner', partner, '--from', '2026-02-01', '--to', '2026-02-29']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^--to is not a valid instant: "2026-02-29"/);
    expect(run.stdout.length).toBe(0);
  });

  it('verify against a Redis that does not answer exits 3 instead of hanging on the reconnecting client', async () => {
    const run = await audit(['verify', '--partner', partner, ...range, '--wait-ms', '100'], { REDIS_URL: 'redis://127.0.0.1:1' });
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('audit failed:');
  });

  describe('--out', () => {
    const refused = async (out: string, message: RegExp) => {
      const run = await audit(['replay', '--partner', partner, ...range, '--format', 'csv', '--out', out]);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(message);
      expect(run.stderr).not.toMatch(/final digest [0-9a-f]{64}/);
      expect(run.stderr).not.toContain('audit replay:'); // refused before the replay started
    };

    it('into a folder that does not exist: exit 2 before the replay, nothing created', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'csp-audit-out-'));
      await refused(join(dir, 'missing', 'q1.csv'), /^--out .*: the folder .*missing does not exist/);
      expect(readdirSync(dir)).toEqual([]);
    });

    it('naming an existing folder: exit 2, and no <folder>.partial left beside it', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'csp-audit-out-'));
      mkdirSync(join(dir, 'reports'));
      writeFileSync(join(dir, 'reports', 'kept.csv'), 'kept');
      const before = snapshot(dir);
      await refused(join(dir, 'reports'), /^--out .*reports is a folder/);
      expect(snapshot(dir)).toEqual(before);
    });

    it('inside DATA_DIR (over the event store, the keyring or beside them): exit 2, the store untouched', async () => {
      const store = join(dataDir, 'events.sqlite');
      const before = readFileSync(store);
      await refused(store, /^--out .* is inside DATA_DIR/);
      await refused(join(dataDir, 'keyring.sqlite'), /^--out .* is inside DATA_DIR/);
      await refused(join(dataDir, 'q1.csv'), /^--out .* is inside DATA_DIR/);
      expect(readFileSync(store).equals(before)).toBe(true);
      expect(existsSync(join(dataDir, 'q1.csv'))).toBe(false);
    });

    it("keeps an existing report's permissions and writes a new one 0600 (it names who touched which key)", async () => {
      const dir = mkdtempSync(join(tmpdir(), 'csp-audit-out-'));
      const existing = join(dir, 'kept.csv');
      writeFileSync(existing, 'old');
      chmodSync(existing, 0o640);
      expect((await audit(['replay', '--partner', partner, ...range, '--format', 'csv', '--out', existing])).code).toBe(0);
      expect(statSync(existing).mode & 0o777).toBe(0o640);
      const fresh = join(dir, 'new.csv');
      expect((await audit(['replay', '--partner', partner, ...range, '--format', 'csv', '--out', fresh])).code).toBe(0);
      expect(statSync(fresh).mode & 0o777).toBe(0o600);
    });

    it('where it cannot write: exit 2 before the replay', async () => {
      let folder = '/sys'; // root writes anywhere else
      if (process.getuid?.() !== 0) {
        folder = mkdtempSync(join(tmpdir(), 'csp-audit-out-'));
        chmodSync(folder, 0o555);
      }
      await refused(join(folder, 'csp-audit-q1.csv'), /^--out .*: cannot write in /);
      expect(existsSync(join(folder, 'csp-audit-q1.csv'))).toBe(false);
    });

    it('a replay that fails midway leaves neither the report nor its temporary file, and says no success', async () => {
      const crafted = await craftedStore({ unreadableLast: true });
      const dir = mkdtempSync(join(tmpdir(), 'csp-audit-out-'));
      const run = await audit(['replay', '--partner', crafted.partner, ...range, '--format', 'csv', '--out', join(dir, 'q1.csv')], { DATA_DIR: crafted.dir });
      expect(run.code).toBe(3);
      expect(run.stderr).toContain('audit failed:');
      expect(run.stderr).not.toMatch(/final digest [0-9a-f]{64}/);
      expect(readdirSync(dir)).toEqual([]);
    });

    it('Ctrl-C during the replay removes the temporary file and leaves no report', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'csp-audit-out-'));
      const run = await audit(['replay', '--partner', partner, ...range, '--format', 'csv', '--out', join(dir, 'q1.csv')], {}, (child) => {
        const poll = () => (readdirSync(dir).some((f) => f.endsWith('.partial')) ? child.kill('SIGINT') : setTimeout(poll, 2));
        poll();
      });
      expect(run.signal).toBe('SIGINT');
      expect(readdirSync(dir)).toEqual([]);
    });

    it('an existing report is replaced whole, through a temporary file beside it', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'csp-audit-out-'));
      writeFileSync(join(dir, 'q1.jsonl'), 'an older report');
      const run = await audit(['replay', '--partner', partner, ...range, '--format', 'jsonl', '--out', join(dir, 'q1.jsonl')]);
      expect(run.code).toBe(0);
      expect(readdirSync(dir)).toEqual(['q1.jsonl']);
      expect(run.stderr).toMatch(/final digest [0-9a-f]{64}/);
      expect((await audit(['check-report', join(dir, 'q1.jsonl')])).code).toBe(0);
    });
  });

  describe('the store, opened read-only', () => {
    const stores: [string, (dir: string) => void, RegExp][] = [
      ['no file', () => undefined, /^No event store at .*events\.sqlite/],
      ['a 0-byte file', (dir) => writeFileSync(join(dir, 'events.sqlite'), ''), /events\.sqlite is not an event store: it is empty \(0 bytes\)/],
      [
        'a file that is not SQLite',
        (dir) => writeFileSync(join(dir, 'events.sqlite'), '{"not":"a database"}\n'.repeat(300)),
        /events\.sqlite is not an event store: it is not an SQLite database/,
      ],
    ];

    it.each(stores)('%s: exit 2 with a clear message, nothing created or migrated', async (_, make, message) => {
      const dir = mkdtempSync(join(tmpdir(), 'csp-audit-store-'));
      make(dir);
      const before = snapshot(dir);
      for (const args of [
        ['replay', '--partner', partner, ...range],
        ['verify', '--partner', partner, ...range],
      ]) {
        const run = await audit(args, { DATA_DIR: dir });
        expect(run.code).toBe(2);
        expect(run.stderr).toMatch(message);
        expect(snapshot(dir)).toEqual(before);
      }
      const report = join(mkdtempSync(join(tmpdir(), 'csp-audit-report-')), 'q1.jsonl');
      expect((await audit(['replay', '--partner', partner, ...range, '--format', 'jsonl', '--out', report])).code).toBe(0);
      const check = await audit(['check-report', report, '--against-store'], { DATA_DIR: dir });
      expect(check.code).toBe(2);
      expect(check.stderr).toMatch(message);
      expect(snapshot(dir)).toEqual(before);
    });

    it('replays while the service keeps writing the store, from another process', async () => {
      const before = await audit(['replay', '--partner', partner, ...range, '--format', 'jsonl']);
      let writing = true;
      let appended = 0;
      const writer = (async () => {
        // Events of no order: the service at work elsewhere, which must not disturb the replay.
        while (writing)
          await store.append(
            `noise-${randomUUID()}`,
            [
              {
                eventId: randomUUID(),
                type: 'Noise',
                data: { n: appended++ },
                metadata: { occurredAt: new Date().toISOString(), correlationId: randomUUID(), schemaVersion: 1 },
              },
            ],
            'no_stream',
          );
      })();
      try {
        const during = await audit(['replay', '--partner', partner, ...range, '--format', 'jsonl']);
        expect(during.code).toBe(0);
        expect(during.stdout.equals(before.stdout)).toBe(true);
      } finally {
        writing = false;
        await writer;
      }
      expect(appended).toBeGreaterThan(0);
    });
  });

  it("the table escapes the control and bidi characters of a token's sub; JSONL keeps its exact bytes", async () => {
    const crafted = await craftedStore();
    const args = ['replay', '--order', crafted.orderId, ...range];
    const table = await audit([...args, '--format', 'table'], { DATA_DIR: crafted.dir });
    expect(table.code).toBe(0);
    const text = table.stdout.toString();
    expect([...text].filter((c) => /[\p{Cc}\p{Bidi_Control}]/u.test(c) && c !== '\n')).toEqual([]);
    expect(text).toContain('\\u202eevil\\x1b]0;owned\\x07');
    const jsonl = await audit([...args, '--format', 'jsonl'], { DATA_DIR: crafted.dir });
    expect(JSON.parse(jsonl.stdout.toString().split('\n')[1]!).entry.actorSub).toBe(crafted.hostileSub);
  });

  describe('its command line (node:util parseArgs)', () => {
    it.each([[['--help']], [['-h']], [['replay', '--help']], [['check-report', '-h']]])('%j: the usage on stdout, exit 0', async (args) => {
      const run = await audit(args);
      expect(run.code).toBe(0);
      expect(run.stdout.toString()).toMatch(/^Usage:\n {2}npm run audit -- replay/);
      expect(run.stderr).toBe('');
    });

    it.each([
      [['replay', '--partner', 'x', '--bogus'], /Unknown option '--bogus'/],
      [['replay', '--partner'], /--partner <value>' argument missing/],
      [['replay', '--partner=', ...['--from', FROM, '--to', TO]], /^--partner needs a value/],
      [['replay', '--from', FROM, '--from', FROM], /^--from is given twice/],
      [['replay', '--against-store'], /Unknown option '--against-store'/],
      [['verify', 'extra'], /Unexpected argument 'extra'/],
      [['check-report', 'a.csv', 'b.csv'], /^check-report takes one file/],
      [['bogus'], /^Unknown command "bogus"/],
    ])('%j: exit 2, the reason and the usage on stderr', async (args, message) => {
      const run = await audit(args);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(message);
      expect(run.stderr).toContain('Usage:');
      expect(run.stdout.length).toBe(0);
    });
  });
});
