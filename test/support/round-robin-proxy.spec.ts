/** The split shape's load balancer: it must be transparent, or the scenarios would test the proxy. */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startRoundRobinProxy, type RoundRobinProxy } from './round-robin-proxy';

interface Seen {
  readonly upstream: number;
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: Buffer;
}

let upstreams: Server[];
let proxy: RoundRobinProxy;
const seen: Seen[] = [];
/** Resolved by the test to let the streaming upstream send the rest of its answer. */
let releaseStream: () => void = () => undefined;

beforeAll(async () => {
  upstreams = [0, 1].map((index) =>
    createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        seen.push({ upstream: index, method: request.method!, url: request.url!, headers: request.headers, body: Buffer.concat(chunks) });
        if (request.url === '/stream') {
          response.writeHead(200, { 'content-type': 'text/plain' });
          response.write('first,');
          releaseStream = () => response.end('rest');
          return;
        }
        response.writeHead(201, { 'content-type': 'application/json', 'x-upstream': String(index), 'set-cookie': ['a=1', 'b=2'] });
        response.end(JSON.stringify({ upstream: index, bytes: Buffer.concat(chunks).length }));
      });
    }),
  );
  await Promise.all(upstreams.map((u) => new Promise<void>((resolve) => u.listen(0, '127.0.0.1', resolve))));
  proxy = await startRoundRobinProxy(upstreams.map((u) => `http://127.0.0.1:${(u.address() as AddressInfo).port}`));
});

afterAll(async () => {
  await proxy.close();
  await Promise.all(upstreams.map((u) => new Promise((resolve) => u.close(resolve))));
});

it('sends consecutive requests to the upstreams in turn, forwarding method, path, headers, Host and body', async () => {
  seen.length = 0;
  const body = 'x'.repeat(3 * 1024 * 1024);
  const answers = [];
  for (let i = 0; i < 4; i++) {
    const response = await fetch(`${proxy.url}/v1/things/${i}?q=${i}`, {
      method: i % 2 ? 'PUT' : 'POST',
      headers: { authorization: `Bearer t${i}`, 'content-type': 'text/plain' },
      body,
    });
    answers.push({
      status: response.status,
      upstream: response.headers.get('x-upstream'),
      cookies: response.headers.getSetCookie(),
      body: (await response.json()) as { bytes: number },
    });
  }
  expect(answers.map((a) => a.upstream)).toEqual(['0', '1', '0', '1']);
  expect(answers.every((a) => a.status === 201 && a.body.bytes === body.length)).toBe(true);
  expect(answers[0]!.cookies).toEqual(['a=1', 'b=2']);
  expect(proxy.hits).toEqual([2, 2]);
  expect(seen.map((s) => [s.upstream, s.method, s.url])).toEqual([
    [0, 'POST', '/v1/things/0?q=0'],
    [1, 'PUT', '/v1/things/1?q=1'],
    [0, 'POST', '/v1/things/2?q=2'],
    [1, 'PUT', '/v1/things/3?q=3'],
  ]);
  for (const [i, s] of seen.entries()) {
    expect(s.headers.host).toBe(new URL(proxy.url).host);
    expect(s.headers.authorization).toBe(`Bearer t${i}`);
    expect(s.body.toString()).toBe(body);
  }
});

it('streams the answer back as the upstream sends it', async () => {
  const response = await fetch(`${proxy.url}/stream`);
  const reader = response.body!.getReader();
  const first = await reader.read();
  // The upstream has not finished its answer: what arrived was streamed, not buffered.
  expect(Buffer.from(first.value!).toString()).toBe('first,');
  releaseStream();
  let rest = '';
  for (let part = await reader.read(); !part.done; part = await reader.read()) rest += Buffer.from(part.value).toString();
  expect(rest).toBe('rest');
});

it('answers 502 when the upstream whose turn it is does not answer', async () => {
  const lone = createServer();
  await new Promise<void>((resolve) => lone.listen(0, '127.0.0.1', resolve));
  const port = (lone.address() as AddressInfo).port;
  await new Promise((resolve) => lone.close(resolve));
  const dead = await startRoundRobinProxy([`http://127.0.0.1:${port}`]);
  try {
    const response = await fetch(dead.url + '/v1/anything');
    expect(response.status).toBe(502);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('bad_gateway');
  } finally {
    await dead.close();
  }
});
