import { accessedBy, DAY_MS, isoOf } from '@csp/domain';
import type { IssueDownloadLink } from '../order.commands';
import type { OrderEvent } from '../order.events';
import type { PlacedOrder } from '../order.state';
import { selectedLine, selectionOf, type Now } from '../order.rules';

export const LINK_LIFETIME_MS = 14 * DAY_MS;
export const LINK_MAX_DOWNLOADS = 50;

export function decideIssueDownloadLink(command: IssueDownloadLink, order: PlacedOrder, now: Now): OrderEvent[] {
  const selection = selectionOf(command.data);
  const line = selectedLine(order, selection);
  return [
    {
      type: 'DownloadLinkIssued',
      data: {
        ...order.ref,
        ...selection,
        sku: line.sku,
        linkId: command.data.linkId,
        tokenHash: command.data.tokenHash,
        issuedAt: now.iso,
        expiresAt: isoOf(now.ms + LINK_LIFETIME_MS),
        maxDownloads: LINK_MAX_DOWNLOADS,
        issuedBy: accessedBy(command),
      },
    },
  ];
}
