import { instantMs } from '@csp/domain';
import type { DownloadLinkIssued } from './order.events';

/** A download link at an instant: usable, or dead for the first of these reasons. */
export type LinkStatus = 'active' | 'expired' | 'exhausted' | 'revoked';

/** What of a link decides its status (the order state's link and the software list's link both have it). */
export interface LinkLimits {
  readonly revoked: boolean;
  /** ISO-8601 instant: the link is dead from this instant on. */
  readonly expiresAt: string;
  readonly downloads: number;
  readonly maxDownloads: number;
}

/**
 * A link's status at `nowMs`, checked in this order: revoked, then expired (from `expiresAt`
 * on), then exhausted (`maxDownloads` used). The one rule, used by the RecordDownload decider
 * (download-links/record-download.decide.ts: anything but `active` is the 410 with
 * `link_<status>`, and nothing is counted) and the software list
 * (software-list/software-list.queries.ts: each link's `status`).
 */
export function linkStatus(link: LinkLimits, nowMs: number): LinkStatus {
  if (link.revoked) return 'revoked';
  if (nowMs >= instantMs(link.expiresAt, 'expiresAt')) return 'expired';
  if (link.downloads >= link.maxDownloads) return 'exhausted';
  return 'active';
}

/** A link as it is issued: nothing downloaded through it, not revoked. The order's state and the software list both start a link from it. */
export const issuedLink = (d: DownloadLinkIssued['data']) => ({
  linkId: d.linkId,
  version: d.version,
  language: d.language,
  fileType: d.fileType,
  issuedAt: d.issuedAt,
  expiresAt: d.expiresAt,
  maxDownloads: d.maxDownloads,
  downloads: 0,
  revoked: false,
});
