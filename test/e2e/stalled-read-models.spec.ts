/**
 * The truth about read models nobody projects: an API with RUN_PROJECTIONS=false on Redis and no
 * projector running. Readiness says `stalled` (with how long, and that nobody holds the lease), a
 * query by id answers 503 read_model_behind with Retry-After instead of a 404 it cannot know,
 * and once a projector starts both recover by themselves. And `npm start` with REDIS_URL alone
 * projects: a complete product by itself (SPEC §2).
 */
import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { checkResponsesAgainstDocument } from '../support/response-contract';
import { client, mintToken, startProjector, startServer } from '../support/server';
import { deleteKeys, REDIS_URL, redisAvailable, testPrefix } from '../../libs/projections/src/testing/redis';

jest.setTimeout(120_000);
checkResponsesAgainstDocument('stalled read models');

const secret = `stalled-${randomUUID()}`;
const partner = randomUUID();
const agent = mintToken(secret, { sub: 'agent', tid: partner, roles: ['admin-agent'] });

async function cleanUp(prefix: string) {
  const redis = new Redis(REDIS_URL);
  await deleteKeys(redis, prefix);
  redis.disconnect();
}

it('an API that does not project, with no projector: stalled, 503 read_model_behind, then recovers when a projector starts', async () => {
  if (!(await redisAvailable())) return;
  const prefix = testPrefix('stalled');
  const env = { REDIS_URL, REDIS_KEY_PREFIX: prefix, RUN_PROJECTIONS: 'false', KEY_ENCRYPTION_KEY: Buffer.alloc(32, 3).toString('base64') };
  const api = await startServer({ secret, env });
  const call = client(api.baseUrl);
  let projector: Awaited<ReturnType<typeof startProjector>> | undefined;
  try {
    const created = await call('POST', '/v1/customers', agent, { name: 'Contoso', domain: 'contoso.example', market: 'FR' });
    expect(created.status).toBe(201);
    const { customerId } = created.body;

    const started = Date.now();
    let ready = await call('GET', '/health/ready');
    while (!ready.body.readModels?.some((m: any) => m.state === 'stalled') && Date.now() - started < 5_000) {
      await new Promise((r) => setTimeout(r, 200));
      ready = await call('GET', '/health/ready');
    }
    expect(ready.status).toBe(503);
    expect(ready.body.status).toBe('degraded');
    const customers = ready.body.readModels.find((m: any) => m.model === 'customers');
    expect(customers).toEqual(expect.objectContaining({ state: 'stalled', leaseHolder: null, caughtUp: false, stalledForSeconds: expect.any(Number) }));

    for (const path of [`/v1/customers/${customerId}`, `/v1/customers/${customerId}/software`, `/v1/customers/${customerId}/orders`]) {
      const behind = await call('GET', path, agent);
      expect(behind.status).toBe(503);
      expect(behind.body.error.code).toBe('read_model_behind');
      expect(Number(behind.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(behind.headers.get('x-read-model-stale')).toBe('true');
    }
    // Input that can never be answered is refused at once, not after waiting for the read models.
    const quick = async (path: string, token: string) => {
      const began = Date.now();
      const res = await call('GET', path, token);
      return { status: res.status, fast: Date.now() - began < 1_000 };
    };
    const analyst = mintToken(secret, { sub: 'an', tid: randomUUID(), roles: ['analyst'] });
    expect(await quick('/v1/customers/not-a-uuid/software', agent)).toEqual({ status: 404, fast: true });
    expect(await quick('/v1/credits?bogus=1', analyst)).toEqual({ status: 400, fast: true });
    expect(await quick('/v1/analytics/purchases?groupBy=sku&limit=0x10', analyst)).toEqual({ status: 400, fast: true });
    // Lists may still answer stale, with the headers.
    const log = await call('GET', '/v1/activity-log?from=2026-01-01&to=2030-01-01', mintToken(secret, { sub: 'ga', tid: partner, roles: ['global-admin'] }));
    expect(log.status).toBe(200);
    expect(log.headers.get('x-read-model-stale')).toBe('true');

    projector = await startProjector({ ...env, DATA_DIR: api.dataDir });
    const software = await call('GET', `/v1/customers/${customerId}/software`, agent);
    expect(software.status).toBe(200);
    expect(software.headers.get('x-read-model-stale')).toBeNull();
    let recovered = await call('GET', '/health/ready');
    for (let i = 0; i < 50 && recovered.status !== 200; i++) {
      await new Promise((r) => setTimeout(r, 100));
      recovered = await call('GET', '/health/ready');
    }
    expect(recovered.status).toBe(200);
    expect(recovered.body.readModels.every((m: any) => m.state === 'running' && m.caughtUp)).toBe(true);
  } finally {
    await api.stop();
    await projector?.stop();
    await cleanUp(prefix);
  }
});

it('npm start with REDIS_URL alone projects: the customer is there at once, and readiness is ready', async () => {
  if (!(await redisAvailable())) return;
  const prefix = testPrefix('redis-alone');
  const api = await startServer({ secret, env: { REDIS_URL, REDIS_KEY_PREFIX: prefix } });
  const call = client(api.baseUrl);
  try {
    const { customerId } = (await call('POST', '/v1/customers', agent, { name: 'Contoso', domain: 'contoso.example', market: 'FR' })).body;
    const software = await call('GET', `/v1/customers/${customerId}/software`, agent);
    expect(software.status).toBe(200);
    expect(software.headers.get('x-read-model-stale')).toBeNull();
    const ready = await call('GET', '/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body.readModels.every((m: any) => m.state === 'running')).toBe(true);
    expect(api.logs()).toContain('"projecting":true');
  } finally {
    await api.stop();
    await cleanUp(prefix);
  }
});
