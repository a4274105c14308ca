import { maxHeaderSize, STATUS_CODES, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { AppConfig } from '@csp/config';
import type { JsonLogger } from '@csp/application';
import { errorBody } from './error-shape';

/**
 * The HTTP server's own limits and refusals, before any route runs: a connection that sends
 * nothing, or its headers or body too slowly, is answered 408 and closed; what Node's parser
 * refuses (a bad request line, headers beyond 16 KiB) is answered in the API's error shape.
 */
export function applyHttpLimits(server: Server, limits: AppConfig['http'], logger: JsonLogger): void {
  server.headersTimeout = limits.headersTimeoutMs;
  server.requestTimeout = limits.requestTimeoutMs;
  server.keepAliveTimeout = limits.keepAliveTimeoutMs;
  // Node checks the two timeouts every 30 s by default, which would let a silent socket live up to
  // 30 s past them; once a second (or faster for short test limits) keeps them close to exact. It
  // is a createServer option that Nest does not pass on; Node reads the property when the server
  // starts listening (the security e2e suite checks that it takes effect).
  (server as Server & { connectionsCheckingInterval: number }).connectionsCheckingInterval = Math.max(
    10,
    Math.min(1_000, Math.floor(limits.headersTimeoutMs / 2)),
  );
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => answerClientError(error, socket, logger));
}

/** Node's own choice of status for each parser refusal (lib/_http_server.js), with our body. */
function refusalOf(error: NodeJS.ErrnoException): { status: number; code: string; message: string } {
  switch (error.code) {
    case 'HPE_HEADER_OVERFLOW':
      return { status: 431, code: 'headers_too_large', message: `The request headers exceed ${maxHeaderSize} bytes` };
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return { status: 413, code: 'payload_too_large', message: 'A chunk extension of the request body is too large' };
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return { status: 408, code: 'request_timeout', message: 'The request was not received in time' };
    default:
      return { status: 400, code: 'malformed_request', message: 'The request is not valid HTTP/1.1' };
  }
}

function answerClientError(error: NodeJS.ErrnoException, socket: Duplex, logger: JsonLogger): void {
  // Like Node's default: answer only if nothing of a response was written on this socket yet,
  // else the client would read a second response spliced into the first.
  const inFlight = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (error.code === 'ECONNRESET' || !socket.writable || inFlight?.headersSent) {
    socket.destroy();
    return;
  }
  const { status, code, message } = refusalOf(error);
  logger.debug('HTTP request refused by the server', { status, reason: error.code });
  const body = JSON.stringify(errorBody(code, message));
  const head = [
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}`,
    'Content-Type: application/json; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Connection: close',
  ];
  // Closed once written: a client that refused to finish its request gets no more of our time.
  socket.end(`${head.join('\r\n')}\r\n\r\n${body}`, () => socket.destroy());
}
