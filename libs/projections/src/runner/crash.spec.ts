/**
 * SIGKILL a projector writing to Redis in the middle of a batch, several times, then let a new
 * one finish: the read models equal a fresh rebuild — no event applied twice, none skipped.
 * The projector runs in a child process because a test cannot SIGKILL itself.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { formatPosition } from '@csp/event-store';
import { PRODUCT_STREAMS } from '../read-side';
import { MemoryReadModelStore } from '../stores/memory-store';
import { generatedHistory } from '../testing/generated-history';
import { InMemoryEventStore } from '../testing/in-memory-event-store';
import { appendAll } from '../testing/product-history';
import { REDIS_URL, redisForTests, testRedisStore, type TestRedisStore } from '../testing/redis';
import { PROJECTIONS } from '../testing/product-projections';
import { rebuildReadModel } from './rebuild';

const ROOT = resolve(__dirname, '../../../..');
const EVENTS = 8_000;
const BATCH_SIZE = 40;

interface Projector {
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;
  /** Resolves with the commit line once the child has announced `n` commits. */
  commit(n: number): Promise<string>;
  caughtUp: Promise<void>;
}

function startProjector(prefix: string): Projector {
  const child = spawn(
    process.execPath,
    ['-r', '@swc-node/register', join(__dirname, '../testing/projector-process.ts'), REDIS_URL, prefix, String(EVENTS), String(BATCH_SIZE)],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const lines = createInterface({ input: child.stdout! });
  let commits = 0;
  const waiting = new Map<number, (line: string) => void>();
  let caughtUp!: () => void;
  const caughtUpPromise = new Promise<void>((done) => (caughtUp = done));
  lines.on('line', (line) => {
    if (line === 'caught-up') caughtUp();
    if (!line.startsWith('commit ')) return;
    commits++;
    waiting.get(commits)?.(line);
  });
  return {
    child,
    exited,
    commit: (n) => new Promise((done) => waiting.set(n, done)),
    caughtUp: caughtUpPromise,
  };
}

const redisUp = redisForTests('projector crash');
(redisUp ? describe : describe.skip)('projector crash on Redis', () => {
  jest.setTimeout(180_000);
  let redis: TestRedisStore;
  beforeAll(() => {
    redis = testRedisStore('crash');
  });
  afterAll(() => redis.dispose());

  it('after SIGKILLs mid-batch and a restart, every read model equals a fresh rebuild', async () => {
    const eventStore = new InMemoryEventStore();
    const head = await appendAll(eventStore, generatedHistory({ events: EVENTS }));
    const checkpoints = () => Promise.all(PROJECTIONS.map(async (p) => (await redis.store.checkpoint({ model: p.name, generation: 1 })) ?? ''));

    // Each round kills the projector right after it announced a commit: while the script is on
    // its way to Redis, running, or just done. Later rounds start from what earlier ones left.
    const killedAfter: string[][] = [];
    for (const commitNumber of [7, 23, 41]) {
      const projector = startProjector(redis.prefix);
      const line = await Promise.race([projector.commit(commitNumber), projector.exited.then((code) => `exited early with ${code}`)]);
      projector.child.kill('SIGKILL');
      expect(await projector.exited).toBeNull();
      expect(line).toMatch(/^commit /);
      killedAfter.push(await checkpoints());
    }
    // The kills left read models part-way: some batches committed, not all.
    const last = killedAfter[killedAfter.length - 1]!;
    expect(last.some((checkpoint) => checkpoint !== '' && checkpoint !== formatPosition(head))).toBe(true);

    const finisher = startProjector(redis.prefix);
    await Promise.race([finisher.caughtUp, finisher.exited.then((code) => Promise.reject(new Error(`projector exited with ${code}`)))]);
    finisher.child.kill('SIGKILL');
    await finisher.exited;

    const fresh = new MemoryReadModelStore();
    for (const projection of PROJECTIONS) {
      const rebuilt = await rebuildReadModel({ eventStore, store: fresh, projection, streamPrefixes: PRODUCT_STREAMS, dropAfterMs: 0 });
      const afterCrashes = await redis.store.dump({ model: projection.name, generation: 1 });
      const expected = await fresh.dump({ model: projection.name, generation: rebuilt.generation });
      expect({ model: projection.name, checkpoint: afterCrashes.checkpoint, docs: Object.keys(afterCrashes.docs).length }).toEqual({
        model: projection.name,
        checkpoint: formatPosition(head),
        docs: Object.keys(expected.docs).length,
      });
      expect(afterCrashes).toEqual(expected);
    }
  });
});
