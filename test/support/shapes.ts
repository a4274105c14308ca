/**
 * Deployment shapes for the black-box scenarios: one scenario file runs `describe.each(shapes)`
 * and gets the same HTTP product whichever way it is deployed (SPEC §2: `npm start` alone is a
 * complete product with any stores; `RUN_PROJECTIONS=false` APIs need projector processes).
 *
 *   embedded  one API, SQLite event store in DATA_DIR, read models in memory
 *   redis     one API with REDIS_URL set alone (it projects into Redis itself)
 *   split     two APIs with RUN_PROJECTIONS=false behind a round-robin proxy, and two projector
 *             processes, on one DATA_DIR (one SQLite file) and one Redis key prefix
 *   postgres  one API, EVENTSTORE_URL=postgres://… (a database of its own on the test server: the
 *             event store and the keyring), read models in memory
 *   postgres-split  the split shape on one PostgreSQL database instead of the SQLite file: two APIs
 *             with RUN_PROJECTIONS=false behind the proxy, two projectors, one Redis key prefix
 *
 * A deployment's persistent state is its DATA_DIR plus whatever each shape keeps elsewhere (the
 * Redis key prefix, the key-encryption key): starting a shape again on the same DATA_DIR finds
 * the same state, which is what restart scenarios need. `tearDownShapes()` (in the scenario's
 * afterAll) stops whatever still runs and deletes that external state.
 *
 * To add a shape: describe the service it needs as a `Service` (a probe that skips its shapes with
 * one loud line, or throws when its REQUIRE_… variable says the run needs it), keep its
 * per-deployment state with `site.resource(…)` (a database or schema name, made at the first start
 * on a DATA_DIR, dropped at tear-down), and append the shape to SHAPES. The PostgreSQL shapes are
 * built that way (POSTGRES, postgresDatabase).
 *
 * `SHAPES=embedded,split npx jest …` runs a subset.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Redis from 'ioredis';
import { deleteKeys, REDIS_URL, redisForTests, testPrefix } from '../../libs/projections/src/testing/redis';
import { createDatabaseSync, dropDatabase, postgresForTests, testDatabaseName } from '../../libs/event-store/src/postgres/testing/database';
import { startRoundRobinProxy } from './round-robin-proxy';
import { startProjector, startServer, type Running, type ServerOptions } from './server';

/**
 * What the scenarios use of a running deployment, whatever its shape. Its logs are every
 * process's, process by process; `stop` stops every process gracefully (APIs first, then
 * projectors), then the proxy; `kill` sends SIGKILL to every process at once.
 */
export interface Deployment extends Running {
  readonly shape: string;
  /** Where clients send requests: the API itself, or the proxy in front of the replicas. */
  readonly baseUrl: string;
  /** AUTH_JWT_SECRET, shared by every process of the deployment. */
  readonly secret: string;
  readonly dataDir: string;
  /** Set when the read models are in Redis. */
  readonly redisPrefix?: string;
  /** Set when the event store is PostgreSQL: its EVENTSTORE_URL. */
  readonly eventStoreUrl?: string;
}

/** A server's options, for every process of the deployment: its state (DATA_DIR), clock, secret and environment. */
export type ShapeOptions = Pick<ServerOptions, 'dataDir' | 'clockStart' | 'secret' | 'env'>;

/** A service a shape needs besides Node and the file system. */
interface Service {
  readonly name: string;
  /**
   * Decided before tests are declared (jest declares synchronously): true when it answers; false
   * (after one loud line) to skip; throws when the run requires it.
   */
  available(suite: string): boolean;
}

/** The state a deployment keeps, found again by its DATA_DIR when it restarts. */
interface Site {
  readonly dataDir: string;
  readonly secret: string;
  /** base64 32 bytes, for shapes whose processes must share one (KEY_ENCRYPTION_KEY). */
  readonly keyEncryptionKey: string;
  /**
   * State the deployment keeps outside DATA_DIR, by name: `make` runs at the first start on this
   * DATA_DIR, later starts get the same value, and `remove` runs at tear-down.
   */
  resource(name: string, make: () => string, remove: (value: string) => Promise<void>): string;
}

export interface Shape {
  readonly name: string;
  readonly needs: readonly Service[];
  start(site: Site, options: ShapeOptions): Promise<Deployment>;
}

interface Process extends Running {
  readonly name: string;
  /** An API's own address; absent for a projector. */
  readonly baseUrl?: string;
}

const REDIS: Service = { name: 'Redis', available: (suite) => redisForTests(suite) };
const POSTGRES: Service = { name: 'PostgreSQL', available: (suite) => postgresForTests(suite) };

/** This deployment's PostgreSQL database (its EVENTSTORE_URL), made at its first start and dropped at tear-down. */
const postgresDatabase = (site: Site) => {
  const name = site.resource('postgres-database', testDatabaseName, dropDatabase);
  return site.resource(
    'postgres-url',
    () => createDatabaseSync(name),
    async () => undefined,
  );
};

/** This deployment's Redis key prefix; its keys are deleted at tear-down, not between restarts. */
const redisPrefix = (site: Site, shape: string) =>
  site.resource(
    'redis-prefix',
    () => testPrefix(`shape-${shape}`),
    async (prefix) => {
      const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
      try {
        await deleteKeys(redis, prefix);
      } finally {
        redis.disconnect();
      }
    },
  );

/** Starts processes together; if one fails, kills the others and rethrows. */
async function startAll(starts: readonly (() => Promise<Process>)[]): Promise<Process[]> {
  const settled = await Promise.allSettled(starts.map((start) => start()));
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (!failed) return settled.map((s) => (s as PromiseFulfilledResult<Process>).value);
  await Promise.all(settled.map((s) => (s.status === 'fulfilled' ? s.value.kill() : undefined)));
  throw failed.reason;
}

function apiProcess(name: string, site: Site, options: ShapeOptions, env: Record<string, string>) {
  return async (): Promise<Process> => {
    const server = await startServer({
      dataDir: site.dataDir,
      secret: site.secret,
      ...(options.clockStart ? { clockStart: options.clockStart } : {}),
      env: { ...env, ...options.env },
    });
    return { name, baseUrl: server.baseUrl, logs: server.logs, stop: server.stop, kill: server.kill };
  };
}

function projectorProcess(name: string, env: Record<string, string>) {
  return async (): Promise<Process> => {
    const projector = await startProjector(env);
    return { name, logs: projector.logs, stop: projector.stop, kill: projector.kill };
  };
}

interface Parts {
  readonly baseUrl: string;
  readonly apis: readonly Process[];
  readonly projectors?: readonly Process[];
  readonly redisPrefix?: string;
  readonly eventStoreUrl?: string;
  /** After every process has stopped (the proxy). */
  readonly close?: () => Promise<void>;
}

function deployment(shape: string, site: Site, parts: Parts): Deployment {
  const { apis, projectors = [] } = parts;
  const all = [...apis, ...projectors];
  let stopped = false;
  const finish = async () => {
    stopped = true;
    running.delete(result);
    await parts.close?.();
  };
  const result: Deployment = {
    shape,
    baseUrl: parts.baseUrl,
    secret: site.secret,
    dataDir: site.dataDir,
    ...(parts.redisPrefix !== undefined ? { redisPrefix: parts.redisPrefix } : {}),
    ...(parts.eventStoreUrl !== undefined ? { eventStoreUrl: parts.eventStoreUrl } : {}),
    logs: () => (all.length === 1 ? all[0]!.logs() : all.map((p) => `===== ${p.name} =====\n${p.logs()}`).join('\n')),
    async stop() {
      if (stopped) return;
      await Promise.all(apis.map((p) => p.stop()));
      await Promise.all(projectors.map((p) => p.stop()));
      await finish();
    },
    async kill() {
      if (stopped) return;
      await Promise.all(all.map((p) => p.kill()));
      await finish();
    },
  };
  running.add(result);
  return result;
}

const SHAPES: readonly Shape[] = [
  {
    name: 'embedded',
    needs: [],
    async start(site, options) {
      const [api] = await startAll([apiProcess('api', site, options, {})]);
      return deployment('embedded', site, { baseUrl: api!.baseUrl!, apis: [api!] });
    },
  },
  {
    name: 'redis',
    needs: [REDIS],
    async start(site, options) {
      const prefix = redisPrefix(site, 'redis');
      const [api] = await startAll([apiProcess('api', site, options, { REDIS_URL, REDIS_KEY_PREFIX: prefix })]);
      return deployment('redis', site, { baseUrl: api!.baseUrl!, apis: [api!], redisPrefix: prefix });
    },
  },
  {
    name: 'split',
    needs: [REDIS],
    start: (site, options) => startSplit('split', site, options, {}),
  },
  {
    name: 'postgres',
    needs: [POSTGRES],
    async start(site, options) {
      const env = { EVENTSTORE_URL: postgresDatabase(site), KEY_ENCRYPTION_KEY: site.keyEncryptionKey };
      const [api] = await startAll([apiProcess('api', site, options, env)]);
      return deployment('postgres', site, { baseUrl: api!.baseUrl!, apis: [api!], eventStoreUrl: env.EVENTSTORE_URL });
    },
  },
  {
    name: 'postgres-split',
    needs: [POSTGRES, REDIS],
    start: (site, options) => startSplit('postgres-split', site, options, { eventStoreUrl: postgresDatabase(site) }),
  },
];

/** Two APIs with RUN_PROJECTIONS=false behind the proxy and two projectors, on one event store (`store`'s, else DATA_DIR's file) and one Redis prefix. */
async function startSplit(shape: string, site: Site, options: ShapeOptions, store: { readonly eventStoreUrl?: string }): Promise<Deployment> {
  const prefix = redisPrefix(site, shape);
  const shared: Record<string, string> = {
    DATA_DIR: site.dataDir,
    REDIS_URL,
    REDIS_KEY_PREFIX: prefix,
    AUTH_JWT_SECRET: site.secret,
    KEY_ENCRYPTION_KEY: site.keyEncryptionKey,
    ...(store.eventStoreUrl !== undefined ? { EVENTSTORE_URL: store.eventStoreUrl } : {}),
    ...(options.clockStart ? { CLOCK_START: options.clockStart } : {}),
    ...options.env,
  };
  const processes = await startAll([
    apiProcess('api-1', site, options, { ...shared, RUN_PROJECTIONS: 'false' }),
    apiProcess('api-2', site, options, { ...shared, RUN_PROJECTIONS: 'false' }),
    projectorProcess('projector-1', shared),
    projectorProcess('projector-2', shared),
  ]);
  const apis = processes.slice(0, 2);
  const projectors = processes.slice(2);
  try {
    const proxy = await startRoundRobinProxy(apis.map((a) => a.baseUrl!));
    return deployment(shape, site, { baseUrl: proxy.url, apis, projectors, redisPrefix: prefix, ...store, close: () => proxy.close() });
  } catch (error) {
    await Promise.all(processes.map((p) => p.kill()));
    throw error;
  }
}

/** One shape by name, for a test that runs in one shape only. */
export function shapeNamed(name: string): Shape {
  const shape = SHAPES.find((s) => s.name === name);
  if (!shape) throw new Error(`no deployment shape named ${name} (known: ${SHAPES.map((s) => s.name).join(', ')})`);
  return shape;
}

/** Per service: whether its shapes run (decided once per test file), and why a required one cannot. */
const verdicts = new Map<Service, boolean>();
const failures = new Map<Service, string>();
/** Per DATA_DIR: the state restarts find again. */
const sites = new Map<string, Site>();
const resources = new Map<string, Map<string, { readonly value: string; readonly remove: (value: string) => Promise<void> }>>();
const running = new Set<Deployment>();

/**
 * The shapes this run covers, for `describe.each`: all of SHAPES (or those named in the SHAPES
 * variable) whose services answer. A missing service skips its shapes with one loud line, or,
 * when the run requires it (REQUIRE_REDIS=1), keeps them so that they fail at start-up.
 */
export function shapesFor(suite: string): Shape[] {
  const wanted = process.env.SHAPES?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = wanted?.filter((name) => !SHAPES.some((s) => s.name === name)) ?? [];
  if (unknown.length > 0) throw new Error(`SHAPES names unknown shapes: ${unknown.join(', ')} (known: ${SHAPES.map((s) => s.name).join(', ')})`);
  const shapes = SHAPES.filter((shape) => !wanted || wanted.includes(shape.name)).filter((shape) =>
    shape.needs.every((service) => {
      if (!verdicts.has(service)) {
        try {
          verdicts.set(
            service,
            service.available(
              `${suite}: ${SHAPES.filter((s) => s.needs.includes(service))
                .map((s) => s.name)
                .join(', ')} shapes`,
            ),
          );
        } catch (error) {
          // Required and missing: the shape stays in the run and fails when it starts.
          failures.set(service, (error as Error).message);
          verdicts.set(service, true);
        }
      }
      return verdicts.get(service);
    }),
  );
  if (shapes.length === 0) throw new Error(`no deployment shape to run for ${suite} (SHAPES=${process.env.SHAPES ?? ''})`);
  return shapes;
}

function siteOf(shape: Shape, options: ShapeOptions): Site {
  const dataDir = resolve(options.dataDir ?? mkdtempSync(join(tmpdir(), `csp-${shape.name}-`)));
  const known = sites.get(dataDir);
  if (known && (options.secret === undefined || options.secret === known.secret)) return known;
  if (known) {
    const reconfigured = { ...known, secret: options.secret! };
    sites.set(dataDir, reconfigured);
    return reconfigured;
  }
  const site: Site = {
    dataDir,
    secret: options.secret ?? `e2e-${randomUUID()}`,
    keyEncryptionKey: randomBytes(32).toString('base64'),
    resource(name, make, remove) {
      let kept = resources.get(dataDir);
      if (!kept) resources.set(dataDir, (kept = new Map()));
      let resource = kept.get(name);
      if (!resource) kept.set(name, (resource = { value: make(), remove }));
      return resource.value;
    },
  };
  sites.set(dataDir, site);
  return site;
}

/** Starts `shape`; on an existing `dataDir`, with the state the previous start on it left. */
export async function startShape(shape: Shape, options: ShapeOptions = {}): Promise<Deployment> {
  for (const service of shape.needs) {
    const failure = failures.get(service);
    if (failure !== undefined) throw new Error(`the ${shape.name} shape cannot start: ${failure}`);
  }
  return shape.start(siteOf(shape, options), options);
}

/**
 * For the scenario's afterAll: stops every deployment still running (a failed assertion may have
 * left one), removes the state they kept outside DATA_DIR (their Redis keys), and forgets it.
 */
export async function tearDownShapes(): Promise<void> {
  await Promise.all([...running].map((d) => d.stop()));
  const owned = [...resources.values()].flatMap((kept) => [...kept.values()]);
  resources.clear();
  sites.clear();
  for (const { value, remove } of owned) await remove(value);
}
