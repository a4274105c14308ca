import { checkedPage, instantMs, isIndexEntry, isSortableTime, isStoredId, MAX_LINES, type PageRequest } from '@csp/domain';
import type { ReadModelStore } from '@csp/projections';
import { lineCancellation, type LineCancellation } from '../cancellability.rules';
import { linkStatus, type LinkStatus } from '../link-status.rules';
import {
  customerOrdersIndex,
  lineTerms,
  softwareOrderKey,
  type LineTerms,
  type SoftwareKeyView,
  type SoftwareLineView,
  type SoftwareLinkView,
  type SoftwareOrderView,
} from './software-list.projection';

/** A line's cancellation eligibility: the decider's rule and reason codes (lineCancellation, cancellability.rules.ts). */
type CancellationView = LineCancellation;

interface SoftwareListItem extends Readonly<LineTerms> {
  readonly orderId: string;
  readonly purchasedAt: string;
  readonly taxInclusive: boolean;
  readonly status: SoftwareLineView['status'];
  readonly cancelledAt?: string;
  readonly keyAvailable: boolean;
  /** The versions the licence covers: the one bought and its downgrade rights, newest first. */
  readonly versions: string[];
  readonly languages: string[];
  readonly fileTypes: string[];
  readonly cancellationClass: SoftwareLineView['cancellationClass'];
  readonly cancellation: CancellationView;
  // As stored, with what depends on the clock (a link's status and what it has left) computed at query time.
  readonly keys: (Omit<SoftwareKeyView, 'revoked'> & { status: 'active' | 'revoked' })[];
  readonly downloadLinks: (Omit<SoftwareLinkView, 'revoked' | 'maxDownloads'> & { downloadsRemaining: number; status: LinkStatus })[];
}

export interface SoftwareList {
  readonly customerId: string;
  readonly items: SoftwareListItem[];
  /** The last line of the page, when more follow. */
  readonly nextCursor?: string;
}

/**
 * A position in a software list: a line of an order, `<purchase ms>|<orderId>|<line>` — the order's
 * entry in the customer's index, and the line; a page may stop inside an order.
 */
export const isSoftwareListPosition = (position: string): boolean =>
  isIndexEntry(position, isSortableTime, isStoredId, (line) => /^[1-9]\d{0,2}$/.test(line) && Number(line) <= MAX_LINES);

/**
 * A customer's software list from its read model. Whether a line can still be cancelled and whether
 * a link still works depend on time: they are computed here from the clock, with the rules the
 * deciders use (lineCancellation, linkStatus).
 */
export class SoftwareListQueries {
  constructor(
    private readonly store: ReadModelStore,
    private readonly clock: { now(): Date } = { now: () => new Date() },
  ) {}

  private async ns(model: string) {
    return { model, generation: await this.store.currentGeneration(model) };
  }

  /**
   * A page of the customer's lines, oldest purchase first (then by order id, then line): the
   * lines after the cursor's, `limit` of them. Orders are read from the cursor's own, whose later
   * lines come first; each order has a line at least, so `limit` + 2 orders fill the page and tell
   * whether another follows.
   */
  private async softwareLines(
    customerId: string,
    page: PageRequest,
  ): Promise<{ lines: { order: SoftwareOrderView; line: SoftwareLineView }[]; nextCursor?: string }> {
    const { cursor, limit } = checkedPage(page, isSoftwareListPosition);
    const resume =
      cursor === undefined ? undefined : { entry: cursor.slice(0, cursor.lastIndexOf('|')), line: Number(cursor.slice(cursor.lastIndexOf('|') + 1)) };
    const ns = await this.ns('software-list');
    const entries = await this.store.entries(ns, customerOrdersIndex(customerId), { ...(resume ? { from: resume.entry } : {}), limit: limit + 2 });
    const orders = (await this.store.getMany(
      ns,
      entries.map((e) => softwareOrderKey(e.slice(e.indexOf('|') + 1))),
    )) as (SoftwareOrderView | undefined)[];
    const lines = orders.flatMap((order, i) =>
      (order?.lines ?? [])
        .filter((line) => resume === undefined || entries[i] !== resume.entry || line.line > resume.line)
        .map((line) => ({ entry: entries[i]!, order: order!, line })),
    );
    const shown = lines.slice(0, limit);
    const last = shown[shown.length - 1];
    return { lines: shown, ...(lines.length > limit && last ? { nextCursor: `${last.entry}|${last.line.line}` } : {}) };
  }

  /** A page of every line the customer bought: cancelled lines keep their place, marked, with no key available. */
  async softwareList(customerId: string, now: Date = this.clock.now(), page: PageRequest = {}): Promise<SoftwareList> {
    const nowMs = now.getTime();
    const { lines, nextCursor } = await this.softwareLines(customerId, page);
    const items = lines.map(({ order, line }): SoftwareListItem => ({
      orderId: order.orderId,
      purchasedAt: order.purchasedAt,
      taxInclusive: order.taxInclusive,
      ...lineTerms(line),
      status: line.status,
      ...(line.cancelledAt ? { cancelledAt: line.cancelledAt } : {}),
      keyAvailable: line.status === 'active',
      versions: line.entitledVersions,
      languages: line.languages,
      fileTypes: line.fileTypes,
      cancellationClass: line.cancellationClass,
      // The eligibility route's answer for this line at this instant (one rule: lineCancellation).
      cancellation: lineCancellation(line, instantMs(line.cancellationDeadline, 'cancellationDeadline'), nowMs),
      keys: line.keys.map((k) => ({
        keyId: k.keyId,
        version: k.version,
        language: k.language,
        fileType: k.fileType,
        fingerprint: k.fingerprint,
        status: k.revoked ? 'revoked' : 'active',
        reveals: k.reveals,
        ...(k.lastRevealedAt ? { lastRevealedAt: k.lastRevealedAt } : {}),
      })),
      downloadLinks: line.links.map((l) => {
        const status = linkStatus(l, nowMs);
        return {
          linkId: l.linkId,
          version: l.version,
          language: l.language,
          fileType: l.fileType,
          issuedAt: l.issuedAt,
          expiresAt: l.expiresAt,
          downloads: l.downloads,
          downloadsRemaining: status === 'active' ? l.maxDownloads - l.downloads : 0,
          status,
        };
      }),
    }));
    return { customerId, items, ...(nextCursor !== undefined ? { nextCursor } : {}) };
  }
}
