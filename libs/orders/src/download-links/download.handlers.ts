import { Command, CommandHandler, Query, QueryHandler, type ICommandHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { CommandContext } from '@csp/application';
import { notFound, orderStreamId } from '@csp/domain';
import type { Answer } from '@csp/http';
import { hashLinkSecret, parseLinkToken } from '@csp/security';
import { decideOrder, type OrderCommand, type OrderEvent } from '..';
import { orderStream, type OrderStreamState } from '../order-stream.state';
import { OrderHandler } from '../order-handler';
import type { DownloadResponse } from './download.response';

/** What a download through a link answers (and what a HEAD on it would). */
interface Download {
  readonly linkId: string;
  readonly orderId: string;
  readonly sku: string;
  readonly name: string | undefined;
  readonly line: number;
  readonly version: string;
  readonly language: string;
  readonly fileType: string;
  readonly fileName: string;
  readonly downloadNumber: number;
  readonly downloadsRemaining: number;
  readonly downloadedAt: string;
}

export class RecordDownloadCommand extends Command<Answer<Download, DownloadResponse>> {
  constructor(
    readonly token: string,
    readonly client: { ip?: string; userAgent?: string },
    readonly correlationId: string,
    readonly requestId: string,
  ) {
    super();
  }
}

/** A HEAD on a download link: what a download would answer, counting nothing (handled beside RecordDownload). */
export class CheckDownloadLinkQuery extends Query<Answer<Download, DownloadResponse>> {
  constructor(readonly token: string) {
    super();
  }
}

/** A download through a link: the order the token names, and the command the domain decides. */
function downloadThrough(token: string, client: RecordDownloadCommand['client']) {
  const parsed = parseLinkToken(token);
  if (!parsed) throw notFound('link_not_found', 'No such download link');
  const actor = { sub: 'download-link', tid: parsed.orderId, roles: [] };
  return {
    orderId: parsed.orderId,
    actor,
    authorise: (state: OrderStreamState) => {
      if (!state.purchase) throw notFound('link_not_found', 'No such download link');
    },
    command: (now: string): OrderCommand => ({
      type: 'RecordDownload',
      data: { orderId: parsed.orderId, tokenHash: hashLinkSecret(parsed.secret), client },
      metadata: { actor, now },
    }),
  };
}

/** What a download answers, from the SoftwareDownloaded event the domain decided. */
function downloadView(events: readonly OrderEvent[], state: OrderStreamState): Download {
  const downloaded = events.find((e) => e.type === 'SoftwareDownloaded');
  if (!downloaded || downloaded.type !== 'SoftwareDownloaded') throw new Error('The decider recorded no download');
  const { data } = downloaded;
  const line = state.purchase!.lines.find((l) => l.line === data.line);
  return {
    linkId: data.linkId,
    orderId: data.orderId,
    sku: data.sku,
    name: line?.name,
    line: data.line,
    version: data.version,
    language: data.language,
    fileType: data.fileType,
    fileName: `${data.sku}-${data.version}-${data.language}-${data.fileType}.iso`.toLowerCase(),
    downloadNumber: data.downloadNumber,
    downloadsRemaining: data.downloadsRemaining,
    downloadedAt: data.downloadedAt,
  };
}

@CommandHandler(RecordDownloadCommand)
export class RecordDownloadHandler extends OrderHandler implements ICommandHandler<RecordDownloadCommand> {
  async execute({ token, client, correlationId, requestId }: RecordDownloadCommand): Promise<Download> {
    const download = downloadThrough(token, client);
    const context: CommandContext = { actor: download.actor, correlationId, requestId };
    const result = await this.decide(download.orderId, context, download.authorise, download.command);
    return downloadView(result.events, result.state);
  }
}

/**
 * What a download through the link would answer now — the same refusals (404, 410) and the same
 * view — decided by the domain but not appended: nothing is counted or recorded (a HEAD). It needs
 * what the order handlers need (OrderHandler), and decides on the stream itself.
 */
@QueryHandler(CheckDownloadLinkQuery)
export class CheckDownloadLinkHandler extends OrderHandler implements IQueryHandler<CheckDownloadLinkQuery> {
  async execute({ token }: CheckDownloadLinkQuery): Promise<Download> {
    const download = downloadThrough(token, {});
    const { state } = await this.repository.load(orderStreamId(download.orderId), orderStream);
    download.authorise(state);
    return downloadView(decideOrder(download.command(this.clock.now().toISOString()), state.domain, this.reference), state);
  }
}
