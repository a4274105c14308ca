import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AppConfig } from '@csp/config';
import type { JsonLogger } from '@csp/application';
import { errorBody } from './error-shape';
import { applyHttpLimits } from './http-server';
import { pathOf, stampResponse } from './request-context.middleware';

/**
 * The API's socket, listening before the application is loaded. Loading the modules and Nest takes
 * about a second, and opening the stores longer on a first start that builds an index over an old
 * history; a probe or a client should not find the port closed meanwhile. Until the application
 * takes over, liveness is answered here (the process is up), and every other request waits for the
 * application, in arrival order, for at most 10 s (half the request timeout if shorter): then it is
 * answered 503 with Retry-After, as it is at once if the start fails. Built on node:http alone, so
 * that it listens before anything heavy is loaded.
 */
export interface EarlyListener {
  readonly server: Server;
  readonly port: number;
  /** The application takes over the server: the requests held meanwhile go to it first. */
  serve(application: RequestListener): void;
  /** The start failed: the requests held are answered 503, and new ones too (liveness included) until the process exits. */
  fail(): void;
}

/** Long enough for a start on any history already indexed (about a second here), short of a client's patience. */
const HOLD_MS = 10_000;

interface Held {
  readonly request: IncomingMessage;
  readonly response: ServerResponse;
  readonly timer: NodeJS.Timeout;
}

export async function listenEarly(port: number, limits: AppConfig['http'], logger: JsonLogger, hold = HOLD_MS): Promise<EarlyListener> {
  // Within the request timeout: a body held unread past it would be answered 408 by Node instead.
  const holdMs = Math.min(hold, Math.floor(limits.requestTimeoutMs / 2));
  const held = new Set<Held>();
  let failed = false;

  const early: RequestListener = (request, response) => {
    const path = pathOf(request);
    if (failed) return unavailable(request, response, 'The service failed to start');
    if (path === '/health/live' && (request.method === 'GET' || request.method === 'HEAD')) return answer(request, response, 200, { status: 'ok' });
    const entry: Held = {
      request,
      response,
      timer: setTimeout(() => {
        held.delete(entry);
        unavailable(request, response, 'The service is still starting');
      }, holdMs),
    };
    held.add(entry);
    // A client that gives up is not answered later.
    response.once('close', () => {
      clearTimeout(entry.timer);
      held.delete(entry);
    });
  };

  const server = createServer(early);
  applyHttpLimits(server, limits, logger);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, () => {
      server.off('error', reject);
      resolve();
    });
  });

  return {
    server,
    port: (server.address() as AddressInfo).port,
    serve(application) {
      server.off('request', early);
      server.on('request', application);
      for (const entry of held) {
        clearTimeout(entry.timer);
        held.delete(entry);
        application(entry.request, entry.response);
      }
    },
    fail() {
      failed = true;
      for (const entry of held) {
        clearTimeout(entry.timer);
        held.delete(entry);
        unavailable(entry.request, entry.response, 'The service failed to start');
      }
    },
  };
}

function unavailable(request: IncomingMessage, response: ServerResponse, message: string): void {
  const path = pathOf(request);
  // The readiness probe keeps its own body (status and error), as the application answers it when a store cannot be asked.
  const body = path === '/health/ready' ? { status: 'unavailable', error: message } : errorBody('service_starting', message, { retryAfterSeconds: 1 });
  response.setHeader('Retry-After', '1');
  answer(request, response, 503, body);
}

function answer(request: IncomingMessage, response: ServerResponse, status: number, body: unknown): void {
  stampResponse(request, response);
  const text = JSON.stringify(body);
  response.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  response.end(request.method === 'HEAD' ? undefined : text);
}
