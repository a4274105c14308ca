/**
 * OpenTelemetry traces from command to projection: the API, pointed at a local OTLP/HTTP receiver
 * (http/json) by the standard OTEL_* variables, sends the spans of a purchase in the caller's trace
 * (its `traceparent`), and the projection batches and the webhook delivery that follow link to the
 * command's span (the receiver gets the delivery's `traceparent`). Nothing secret — product keys, tokens — is in any span; every log line of the
 * request carries its trace and span ids.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import Redis from 'ioredis';
import { deleteKeys, REDIS_URL, redisAvailable, testPrefix } from '../../libs/projections/src/testing/redis';
import { client, mintToken, startServer, type RunningServer } from '../support/server';

jest.setTimeout(60_000);

interface OtlpValue {
  readonly stringValue?: string;
  readonly intValue?: string | number;
}
interface OtlpSpan {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId?: string;
  readonly name: string;
  readonly kind: number;
  readonly attributes?: { key: string; value: OtlpValue }[];
  readonly links?: { traceId: string; spanId: string }[];
}
interface Received {
  readonly service: string | undefined;
  readonly span: OtlpSpan;
}

const SERVER = 2;
let collector: Server;
const spans: Received[] = [];
const payloads: string[] = [];
let hooks: Server;
/** The traceparent header of each webhook delivery received. */
const deliveries: (string | undefined)[] = [];
let hooksUrl: string;
let api: RunningServer;
let call: ReturnType<typeof client>;
let redisPrefix: string | undefined;

const attribute = (span: OtlpSpan, key: string) => {
  const value = span.attributes?.find((a) => a.key === key)?.value;
  return value?.stringValue ?? value?.intValue;
};

async function until<T>(find: () => T | undefined, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; spans received: ${spans.map((s) => s.span.name).join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

beforeAll(async () => {
  collector = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      if (request.url === '/v1/traces' && /json/.test(request.headers['content-type'] ?? '')) {
        payloads.push(body);
        const export_ = JSON.parse(body) as {
          resourceSpans: { resource?: { attributes?: { key: string; value: OtlpValue }[] }; scopeSpans: { spans: OtlpSpan[] }[] }[];
        };
        for (const resource of export_.resourceSpans) {
          const service = resource.resource?.attributes?.find((a) => a.key === 'service.name')?.value.stringValue;
          for (const scope of resource.scopeSpans) for (const span of scope.spans) spans.push({ service, span });
        }
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
  hooks = createServer((request, response) => {
    deliveries.push(request.headers.traceparent as string | undefined);
    request.resume();
    request.on('end', () => response.writeHead(204).end());
  });
  await new Promise<void>((resolve) => hooks.listen(0, '127.0.0.1', resolve));
  hooksUrl = `http://127.0.0.1:${(hooks.address() as { port: number }).port}/hooks`;

  // With Redis, the read models and the rate limiter are in it: its spans are in the trace too.
  redisPrefix = (await redisAvailable()) ? testPrefix('tracing') : undefined;
  api = await startServer({
    env: {
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${(collector.address() as { port: number }).port}`,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_SERVICE_NAME: 'csp-api-e2e',
      OTEL_BSP_SCHEDULE_DELAY: '100',
      WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
      ...(redisPrefix ? { REDIS_URL, REDIS_KEY_PREFIX: redisPrefix } : {}),
    },
  });
  call = client(api.baseUrl);
});

afterAll(async () => {
  await api?.stop();
  await new Promise((resolve) => collector?.close(resolve));
  await new Promise((resolve) => hooks?.close(resolve));
  if (redisPrefix) {
    const redis = new Redis(REDIS_URL);
    await deleteKeys(redis, redisPrefix);
    redis.disconnect();
  }
});

it('sends the spans of a purchase in the caller’s trace, and links the projection batches and the webhook delivery to its command', async () => {
  const partner = randomUUID();
  const agent = mintToken(api.secret, { sub: `agent-${randomUUID()}`, tid: partner, roles: ['admin-agent'] });
  const backOffice = mintToken(api.secret, { sub: 'back-office', tid: randomUUID(), roles: ['back-office'] });
  expect((await call('POST', '/v1/webhooks', backOffice, { url: hooksUrl, eventTypes: ['SoftwarePurchased'] })).status).toBe(201);
  const customer = await call('POST', '/v1/customers', agent, { name: 'Traced Ltd', domain: `traced-${partner.slice(0, 8)}.example`, market: 'FR' });
  expect(customer.status).toBe(201);

  const traceId = randomBytes(16).toString('hex');
  const callerSpanId = randomBytes(8).toString('hex');
  const purchase = await call(
    'POST',
    `/v1/customers/${customer.body.customerId}/orders`,
    agent,
    { lines: [{ sku: 'WS2025-STD', quantity: 1 }] },
    {
      traceparent: `00-${traceId}-${callerSpanId}-01`,
    },
  );
  expect(purchase.status).toBe(201);
  const reveal = await call(
    'POST',
    `/v1/orders/${purchase.body.orderId}/keys`,
    agent,
    { line: 1, version: '2025', language: 'en-us', fileType: 'x64' },
    {
      traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01`,
    },
  );
  expect(reveal.status).toBe(200);
  // The platform's probes and scrapes are not traced, whatever they send.
  for (const path of ['/health/live', '/metrics'])
    expect((await call('GET', path, undefined, undefined, { traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01` })).status).toBe(200);

  const inTrace = () => spans.filter((s) => s.span.traceId === traceId);
  const server = await until(() => inTrace().find((s) => s.span.name === 'POST /v1/customers/:customerId/orders'), 'the server span of the purchase');
  expect(server.service).toBe('csp-api-e2e');
  expect(server.span).toEqual(expect.objectContaining({ kind: SERVER, parentSpanId: callerSpanId }));
  expect(attribute(server.span, 'http.route')).toBe('/v1/customers/:customerId/orders');
  expect(Number(attribute(server.span, 'http.response.status_code'))).toBe(201);

  const command = await until(() => inTrace().find((s) => s.span.name === 'command PurchaseSoftware'), 'the command span');
  expect(command.span.parentSpanId).toBe(server.span.spanId);
  expect(attribute(command.span, 'csp.outcome')).toBe('accepted');
  const children = inTrace()
    .filter((s) => s.span.parentSpanId === command.span.spanId)
    .map((s) => s.span.name);
  expect(children).toEqual(expect.arrayContaining(['decide', 'event_store.append']));

  const linked = (name: RegExp) => () =>
    spans.find((s) => name.test(s.span.name) && (s.span.links ?? []).some((l) => l.traceId === traceId && l.spanId === command.span.spanId));
  const projection = await until(linked(/^projection software-list$/), 'a software-list batch linked to the command');
  expect(projection.span.traceId).not.toBe(traceId);
  const delivery = await until(linked(/^webhook delivery$/), 'the webhook delivery linked to the command');
  // The receiver got the delivery's trace context, to continue it.
  expect(deliveries).toContain(`00-${delivery.span.traceId}-${delivery.span.spanId}-01`);

  if (redisPrefix) {
    // The rate limiter's calls during the reveal: children of the request, the command name only.
    const redisSpans = await until(() => {
      const found = inTrace().filter((s) => attribute(s.span, 'db.system') === 'redis' || attribute(s.span, 'db.system.name') === 'redis');
      return found.length > 0 ? found : undefined;
    }, 'the Redis spans of the reveal');
    for (const { span } of redisSpans) {
      const statement = String(attribute(span, 'db.statement') ?? attribute(span, 'db.query.text') ?? '');
      expect({ name: span.name, statement }).toEqual({ name: span.name, statement: expect.stringMatching(/^[a-z]*$/i) });
    }
  }

  expect(inTrace().filter((s) => /^GET \/(health|metrics)/.test(s.span.name))).toEqual([]);

  // No product key, token or secret in anything the collector received.
  const everything = payloads.join('\n');
  for (const secret of [reveal.body.productKey as string, agent, backOffice, api.secret]) expect(everything).not.toContain(secret);

  // The access log line of the purchase carries its trace and span ids.
  const request = api
    .logs()
    .split('\n')
    .filter((line) => line.includes('"msg":"request"') && line.includes('/v1/customers/:customerId/orders'))
    .map((line) => JSON.parse(line) as { trace_id?: string; span_id?: string });
  expect(request).toContainEqual(expect.objectContaining({ trace_id: traceId, span_id: server.span.spanId }));
});
