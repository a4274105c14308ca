import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { assertAllowed, KeyAccessThrottle, type CommandContext } from '@csp/application';
import type { Answer } from '@csp/http';
import { newLinkToken } from '@csp/security';
import { type Selection } from '..';
import { orderResource } from '../order-stream.state';
import { OrderHandler, position } from '../order-handler';
import type { IssuedDownloadLinkResponse } from './issue-download-link.response';

interface IssuedDownloadLink extends Selection {
  readonly linkId: string;
  readonly url: string;
  readonly expiresAt: string;
  readonly downloadsRemaining: number;
  readonly maxDownloads: number;
  readonly orderId: string;
  readonly issuedAt: string;
  readonly position: string | undefined;
}

export class IssueDownloadLinkCommand extends Command<Answer<IssuedDownloadLink, IssuedDownloadLinkResponse>> {
  constructor(
    readonly context: CommandContext,
    readonly orderId: string,
    readonly selection: Selection,
    /** Scheme and host the link URL starts with. */
    readonly baseUrl: string,
  ) {
    super();
  }
}

@CommandHandler(IssueDownloadLinkCommand)
export class IssueDownloadLinkHandler extends OrderHandler implements ICommandHandler<IssueDownloadLinkCommand> {
  @Inject(KeyAccessThrottle) private readonly throttle!: KeyAccessThrottle;

  async execute({ context, orderId, selection, baseUrl }: IssueDownloadLinkCommand): Promise<IssuedDownloadLink> {
    await this.throttle.check('issue-download-link', context, orderId);
    const linkId = randomUUID();
    const { token, tokenHash } = newLinkToken(orderId);
    const result = await this.decide(
      orderId,
      context,
      (state) => assertAllowed('order.issueDownloadLink', context.actor, orderResource(state), 'order'),
      (now) => ({ type: 'IssueDownloadLink', data: { orderId, ...selection, linkId, tokenHash }, metadata: { actor: context.actor, now } }),
    );
    const issued = result.events.find((e) => e.type === 'DownloadLinkIssued');
    if (!issued || issued.type !== 'DownloadLinkIssued') throw new Error('The decider issued no link');
    return {
      linkId,
      url: `${baseUrl}/v1/downloads/${token}`,
      expiresAt: issued.data.expiresAt,
      downloadsRemaining: issued.data.maxDownloads,
      maxDownloads: issued.data.maxDownloads,
      orderId,
      ...selection,
      issuedAt: issued.data.issuedAt,
      position: position(result.append),
    };
  }
}
