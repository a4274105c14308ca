import type { RequestListener } from 'node:http';
import { JsonLogger } from '../../application/src/logging/json-logger';
import { listenEarly, type EarlyListener } from './early-listener';

const LIMITS = { headersTimeoutMs: 5_000, requestTimeoutMs: 10_000, keepAliveTimeoutMs: 5_000 };
const logger = new JsonLogger('silent');

/** The application, once loaded: echoes the method, the path and the body it read. */
const application: RequestListener = (request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    response.writeHead(201, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ method: request.method, url: request.url, body: Buffer.concat(chunks).toString() }));
  });
};

describe('the early listener (the API before its application is loaded)', () => {
  let early: EarlyListener;
  const url = (path: string) => `http://127.0.0.1:${early.port}${path}`;

  afterEach(async () => {
    early.server.closeAllConnections();
    await new Promise((resolve) => early.server.close(resolve));
  });

  it('answers liveness at once, in the API shape, and holds every other request until the application takes over', async () => {
    early = await listenEarly(0, LIMITS, logger);
    const live = await fetch(url('/health/live'), { headers: { 'x-correlation-id': 'probe-1' } });
    expect(live.status).toBe(200);
    expect(await live.json()).toEqual({ status: 'ok' });
    expect(live.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(live.headers.get('x-correlation-id')).toBe('probe-1');
    expect(live.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(live.headers.get('cache-control')).toBe('no-store');

    let answered = 0;
    const held = [
      fetch(url('/v1/customers'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":"Contoso"}' }),
      fetch(url('/health/ready')),
    ].map((p) => p.then((r) => (answered++, r)));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(answered).toBe(0);

    early.serve(application);
    const [command, ready] = await Promise.all(held);
    expect(command!.status).toBe(201);
    expect(await command!.json()).toEqual({ method: 'POST', url: '/v1/customers', body: '{"name":"Contoso"}' });
    expect(await ready!.json()).toEqual({ method: 'GET', url: '/health/ready', body: '' });
    // Liveness too is the application's from now on.
    expect((await fetch(url('/health/live'))).status).toBe(201);
  });

  it('answers a request held too long 503 with Retry-After, in the error shape (readiness in its own)', async () => {
    early = await listenEarly(0, LIMITS, logger, 100);
    const [command, ready] = await Promise.all([fetch(url('/v1/catalog')), fetch(url('/health/ready'))]);
    expect(command.status).toBe(503);
    expect(command.headers.get('retry-after')).toBe('1');
    expect(await command.json()).toEqual({
      error: { code: 'service_starting', message: 'The service is still starting', details: { retryAfterSeconds: 1 } },
    });
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ status: 'unavailable', error: 'The service is still starting' });
  });

  it('answers what it holds 503 when the start fails, and what comes after, liveness included', async () => {
    early = await listenEarly(0, LIMITS, logger);
    const held = fetch(url('/v1/catalog'));
    await new Promise((resolve) => setTimeout(resolve, 100));
    early.fail();
    const answer = await held;
    expect(answer.status).toBe(503);
    expect(((await answer.json()) as { error: { message: string } }).error.message).toBe('The service failed to start');
    expect((await fetch(url('/v1/catalog'))).status).toBe(503);
    expect((await fetch(url('/health/live'))).status).toBe(503);
  });

  it('refuses to start on a port taken, before anything is loaded', async () => {
    early = await listenEarly(0, LIMITS, logger);
    await expect(listenEarly(early.port, LIMITS, logger)).rejects.toThrow(/EADDRINUSE/);
  });
});
