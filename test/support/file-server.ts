import { checkResponsesAgainstDocument } from './response-contract';
import { client, mintToken, startServer, type RunningServer, type ServerOptions } from './server';

/** What the tests of one file share: one API and a client of it. */
export interface FileServer {
  /** The running API, from the file's first `beforeAll` on. */
  readonly server: RunningServer;
  /** `client(server.baseUrl)`, from the same point on. */
  readonly call: ReturnType<typeof client>;
  /** A token for `claims`, signed with the server's secret (`mintToken`). */
  tokenFor(claims: { sub: string; tid: string; roles: string[] }, ttlSeconds?: number): string;
}

/**
 * One API for the whole test file: started in a `beforeAll` registered here (so before the
 * file's own, which may set up data through it) and stopped after the file's tests, with every
 * answer checked against the served document under `scenario` (test/support/response-contract.ts).
 */
export function serverForFile(scenario: string, options: ServerOptions = {}): FileServer {
  checkResponsesAgainstDocument(scenario);
  let started: { readonly server: RunningServer; readonly call: ReturnType<typeof client> } | undefined;
  beforeAll(async () => {
    const server = await startServer(options);
    started = { server, call: client(server.baseUrl) };
  });
  afterAll(() => started?.server.stop());
  const running = () => {
    if (!started) throw new Error(`the ${scenario} server is not running: use it in a hook or a test`);
    return started;
  };
  return {
    get server() {
      return running().server;
    },
    call: (method, path, token, body, headers) => running().call(method, path, token, body, headers),
    tokenFor: (claims, ttlSeconds) => mintToken(running().server.secret, claims, ttlSeconds),
  };
}
