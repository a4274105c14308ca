import { Agent, createServer, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pipeline } from 'node:stream';

/**
 * An HTTP reverse proxy for the tests, on loopback: each request goes to the next upstream in
 * turn, with its method, path, headers (Host included, so the product builds URLs that point at
 * the proxy) and body, and the answer streams back as the upstream sends it. It stands for the load
 * balancer in front of API replicas, so that consecutive requests of one client land on
 * different processes.
 */
export interface RoundRobinProxy {
  readonly url: string;
  /** Requests sent to each upstream so far, in the order of `upstreams`. */
  readonly hits: readonly number[];
  close(): Promise<void>;
}

/** Connection-level headers: they describe one hop, not the request or the answer. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'upgrade']);

function endToEnd(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const named = new Set(
    String(headers.connection ?? '')
      .split(',')
      .map((h) => h.trim().toLowerCase()),
  );
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !HOP_BY_HOP.has(name) && !named.has(name)));
}

export async function startRoundRobinProxy(upstreams: readonly string[]): Promise<RoundRobinProxy> {
  if (upstreams.length === 0) throw new Error('a proxy needs at least one upstream');
  const targets = upstreams.map((u) => new URL(u));
  const hits = targets.map(() => 0);
  const agent = new Agent({ keepAlive: true });
  let next = 0;

  const server = createServer((incoming, outgoing) => {
    const index = next++ % targets.length;
    hits[index]!++;
    const target = targets[index]!;
    const upstream = httpRequest(
      { agent, host: target.hostname, port: target.port, method: incoming.method, path: incoming.url, headers: endToEnd(incoming.headers) },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.statusMessage, endToEnd(answer.headers));
        pipeline(answer, outgoing, () => undefined);
      },
    );
    upstream.on('error', (error) => {
      if (!outgoing.headersSent) {
        outgoing.writeHead(502, { 'content-type': 'application/json' });
        outgoing.end(JSON.stringify({ error: { code: 'bad_gateway', message: `test proxy: upstream ${target.host} failed: ${error.message}` } }));
      } else {
        outgoing.destroy(error);
      }
    });
    incoming.pipe(upstream);
    // The client going away before its answer is complete aborts the upstream request too.
    outgoing.on('close', () => {
      if (!outgoing.writableFinished) upstream.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    hits,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      agent.destroy();
      await closed;
    },
  };
}
