import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');

/** What a test started and must end: one process, or a deployment of several (test/support/shapes.ts). */
export interface Running {
  /** Everything it printed so far. */
  logs(): string;
  /** Graceful stop (SIGTERM) and wait for exit. */
  stop(): Promise<void>;
  /** SIGKILL: no chance to flush anything. */
  kill(): Promise<void>;
}

export interface RunningServer extends Running {
  readonly baseUrl: string;
  readonly port: number;
  readonly dataDir: string;
  readonly secret: string;
  readonly process: ChildProcess;
}

export interface ServerOptions {
  /** Reuse a server's state (restart); a fresh temporary directory otherwise. */
  readonly dataDir?: string;
  readonly clockStart?: string;
  readonly secret?: string;
  /** More environment for the process. */
  readonly env?: Record<string, string>;
  /** Resolve as soon as it listens, before its application is loaded; once that serves by default. */
  readonly until?: 'listening' | 'serving';
  /** Flags for node itself (e.g. --cpu-prof, which NODE_OPTIONS refuses). */
  readonly nodeArgs?: readonly string[];
  /** Keep only the last this many characters of output (a long benchmark); all of it by default. */
  readonly keepLogChars?: number;
}

/**
 * Starts the real compiled API (`npm run build` first) as a child process on a free port; resolves
 * once the application serves (it listens, and answers liveness, earlier: `until`).
 */
export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'csp-e2e-'));
  const secret = options.secret ?? `e2e-${randomUUID()}`;
  const env: Record<string, string> = {
    PORT: '0',
    DATA_DIR: dataDir,
    AUTH_JWT_SECRET: secret,
    ...(options.clockStart ? { CLOCK_START: options.clockStart } : {}),
    ...options.env,
  };
  const started = await startCompiled(
    'API',
    'dist/apps/api/src/main.js',
    env,
    options.until === 'listening' ? /"msg":"Listening on port (\d+)"/ : /"msg":"Serving on port (\d+)"/,
    options,
  );
  const port = Number(started.ready[1]);
  return { baseUrl: `http://127.0.0.1:${port}`, port, dataDir, secret, ...started.service };
}

/** Starts the compiled projector process; resolves once it runs (its health server listens before). */
export async function startProjector(env: Record<string, string>): Promise<Running & { port: number }> {
  const port = await freePort();
  const started = await startCompiled('projector', 'dist/apps/projector/src/main.js', { PROJECTOR_PORT: String(port), ...env }, /"msg":"Projector running"/);
  return { port, ...started.service };
}

interface Service extends Running {
  readonly process: ChildProcess;
}

/**
 * Spawns a compiled entry point (PATH and LOG_LEVEL=info, then `env`) and waits up to 30 s for the
 * line that says it is ready; fails with the end of its output if it does not come or the process
 * exits first.
 */
async function startCompiled(
  name: string,
  entry: string,
  env: Record<string, string>,
  readyLine: RegExp,
  options: Pick<ServerOptions, 'nodeArgs' | 'keepLogChars'> = {},
): Promise<{ ready: RegExpExecArray; service: Service }> {
  const main = join(ROOT, entry);
  if (!existsSync(main)) throw new Error(`${main} is missing: run \`npm run build\` before the e2e tests (npm test does)`);
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), main], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (d: Buffer) => {
    output += d.toString();
    if (options.keepLogChars !== undefined && output.length > options.keepLogChars) output = output.slice(-options.keepLogChars);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<void>((r) => child.once('exit', () => r()));

  const ready = await new Promise<RegExpExecArray>((resolveReady, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start within 30 s:\n${output.slice(-3000)}`)), 30_000);
    child.stdout!.on('data', () => {
      const match = readyLine.exec(output);
      if (match) {
        clearTimeout(timer);
        resolveReady(match);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with ${code} before it was ready:\n${output.slice(-3000)}`));
    });
  });

  return {
    ready,
    service: {
      process: child,
      logs: () => output,
      async stop() {
        if (child.exitCode === null) child.kill('SIGTERM');
        await exited;
      },
      async kill() {
        if (child.exitCode === null) child.kill('SIGKILL');
        await exited;
      },
    },
  };
}

/**
 * An HS256 token as the product's clients mint them (SPEC §2 claims). Signed by hand on purpose,
 * unlike the product (apps/cli/src/token.ts signs with jose): it stands for an outside client, and
 * it stays synchronous for the many tests that mint inline (jose's SignJWT only signs async).
 */
export function mintToken(secret: string, claims: { sub: string; tid: string; roles: string[] }, ttlSeconds = 3600): string {
  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const header = b64({ alg: 'HS256', typ: 'JWT' });
  const payload = b64({ ...claims, exp: Math.floor(Date.now() / 1000) + ttlSeconds });
  return `${header}.${payload}.${createHmac('sha256', secret).update(`${header}.${payload}`).digest('base64url')}`;
}

export interface HttpResult<T = any> {
  readonly status: number;
  readonly body: T;
  readonly headers: Headers;
  readonly text: string;
}

/** One request and its answer, as a client saw it. */
export interface Exchange {
  readonly method: string;
  readonly url: string;
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
}

const exchangeObservers: ((exchange: Exchange) => Promise<void>)[] = [];

/**
 * Every answer any `client` of this test file receives is handed to `observer` (awaited before the
 * caller gets it, so that the observer may still ask the server something): the contract check
 * records them all without the scenarios having to say so.
 */
export function observeExchanges(observer: (exchange: Exchange) => Promise<void>): void {
  exchangeObservers.push(observer);
}

/** Hands an answer a scenario received by other means (a stream it reads itself) to the observers, as `client` does. */
export async function reportExchange(exchange: Exchange): Promise<void> {
  for (const observer of exchangeObservers) await observer(exchange);
}

/** A small JSON client: `call(server)('POST', '/v1/…', token, body)`. */
export function client(baseUrl: string) {
  return async function call<T = any>(
    method: string,
    path: string,
    token?: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<HttpResult<T>> {
    const init: RequestInit = { method, headers: { ...headers }, redirect: 'manual' };
    if (token) (init.headers as Record<string, string>).authorization = `Bearer ${token}`;
    if (body !== undefined) {
      (init.headers as Record<string, string>)['content-type'] ??= 'application/json';
      init.body = typeof body === 'string' ? body : JSON.stringify(body);
    }
    const url = path.startsWith('http') ? path : baseUrl + path;
    const response = await fetch(url, init);
    const text = await response.text();
    await reportExchange({ method, url, status: response.status, headers: response.headers, text });
    let parsed: unknown = undefined;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    return { status: response.status, body: parsed as T, headers: response.headers, text };
  };
}

/** What the server answered on a bare socket, and when it closed it. */
export interface RawAnswer {
  readonly status: number;
  readonly head: string;
  readonly body: any;
  readonly closedAfterMs: number;
}

/**
 * Talks to the server over a bare TCP socket (what `fetch` cannot send: a broken header, headers
 * that never end) and waits for it to close the socket. Given `as`, the request the bytes stand for,
 * the answer is handed to the exchange observers like any `client` answer, so that the contract
 * check sees the refusals the HTTP server makes before any route runs.
 */
export function rawExchange(
  port: number,
  data: string | undefined,
  options: { readonly waitMs?: number; readonly as?: { readonly method: string; readonly path: string } } = {},
): Promise<RawAnswer> {
  const waitMs = options.waitMs ?? 5_000;
  return new Promise<RawAnswer>((resolveAnswer, reject) => {
    const started = Date.now();
    const socket = connect(port, '127.0.0.1');
    let text = '';
    socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
    socket.on('error', () => undefined); // a reset after the answer
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`the server kept a socket open for ${waitMs} ms (received ${JSON.stringify(text.slice(0, 200))})`));
    }, waitMs);
    socket.on('close', () => {
      clearTimeout(timer);
      const [head = '', ...rest] = text.split('\r\n\r\n');
      const raw = rest.join('\r\n\r\n');
      let body: unknown;
      try {
        body = JSON.parse(raw);
      } catch {
        body = raw;
      }
      resolveAnswer({ status: Number(head.split(' ')[1]), head, body, closedAfterMs: Date.now() - started });
    });
    if (data !== undefined) socket.write(data);
  }).then(async (answer) => {
    if (options.as) {
      const headers = new Headers();
      for (const line of answer.head.split('\r\n').slice(1)) {
        const colon = line.indexOf(':');
        if (colon > 0) headers.append(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
      }
      const text = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
      await reportExchange({ method: options.as.method, url: `http://127.0.0.1:${port}${options.as.path}`, status: answer.status, headers, text });
    }
    return answer;
  });
}

/** A port nothing listens on right now (the projector logs the port it was given, so it cannot be 0). */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolveListen, reject) => {
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', resolveListen);
  });
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolveClose) => probe.close(() => resolveClose()));
  return port;
}
