import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy on loopback in front of a service (Redis, PostgreSQL) that a test can cut and
 * restore: cutting closes every connection and refuses new ones, as a service that went away does;
 * restoring listens again on the same port, as the service coming back does. The product is pointed
 * at the proxy and never knows.
 */
export interface TcpProxy {
  readonly port: number;
  cut(): Promise<void>;
  restore(): Promise<void>;
  close(): Promise<void>;
}

export async function startTcpProxy(target: { readonly host: string; readonly port: number }): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  };
  const serve = (): Server =>
    createServer((client) => {
      track(client);
      const upstream = connect(target.port, target.host);
      track(upstream);
      client.pipe(upstream).pipe(client);
      client.on('error', () => upstream.destroy());
      upstream.on('error', () => client.destroy());
    });
  const listen = (server: Server, port: number) =>
    new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
    });
  const shut = async (server: Server | undefined) => {
    if (!server) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of sockets) socket.destroy();
    await closed;
  };

  let server: Server | undefined = serve();
  const port = await listen(server, 0);
  return {
    port,
    async cut() {
      await shut(server);
      server = undefined;
    },
    async restore() {
      if (server) return;
      server = serve();
      await listen(server, port);
    },
    async close() {
      await shut(server);
      server = undefined;
    },
  };
}
