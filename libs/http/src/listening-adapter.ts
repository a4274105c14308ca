import { ExpressAdapter } from '@nestjs/platform-express';
import type { EarlyListener } from './early-listener';

/**
 * Nest's Express adapter over the early listener's server, which already listens: Nest's `listen`
 * hands the server to the application (with the requests held meanwhile) instead of opening a socket.
 */
export class ListeningExpressAdapter extends ExpressAdapter {
  constructor(private readonly early: EarlyListener) {
    super();
  }

  override initHttpServer(): void {
    this.setHttpServer(this.early.server);
  }

  override listen(_port: string | number, ...args: unknown[]): ReturnType<ExpressAdapter['listen']> {
    this.early.serve(this.getInstance());
    const callback = args[args.length - 1];
    if (typeof callback === 'function') process.nextTick(callback as () => void);
    return this.early.server as ReturnType<ExpressAdapter['listen']>;
  }
}
