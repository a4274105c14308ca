import { constantTimeEqual, gone, notFound } from '@csp/domain';
import type { RecordDownload } from '../order.commands';
import type { OrderEvent } from '../order.events';
import type { PlacedOrder } from '../order.state';
import { linkStatus } from '../link-status.rules';
import { selectionOf, type Now } from '../order.rules';

export function decideRecordDownload(command: RecordDownload, order: PlacedOrder, now: Now): OrderEvent[] {
  // Every stored hash is compared, in constant time, whichever matches.
  let link: (typeof order.links extends ReadonlyMap<string, infer L> ? L : never) | undefined;
  for (const candidate of order.links.values()) if (constantTimeEqual(candidate.tokenHash, command.data.tokenHash)) link = candidate;
  if (!link) throw notFound('link_not_found', 'No such download link');
  const status = linkStatus(link, now.ms);
  if (status === 'revoked') throw gone('link_revoked', 'This download link was revoked');
  if (status === 'expired') throw gone('link_expired', 'This download link has expired; issue a new one');
  if (status === 'exhausted') throw gone('link_exhausted', `This download link was used ${link.maxDownloads} times; issue a new one`);
  const line = order.lines.find((l) => l.line === link.line)!;
  const downloadNumber = link.downloads + 1;
  return [
    {
      type: 'SoftwareDownloaded',
      data: {
        ...order.ref,
        ...selectionOf(link),
        sku: line.sku,
        linkId: link.linkId,
        downloadedAt: now.iso,
        downloadNumber,
        downloadsRemaining: link.maxDownloads - downloadNumber,
        client: command.data.client,
      },
    },
  ];
}
