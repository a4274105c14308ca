import { instantMs } from '@csp/domain';
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
}

/** An activity index entry: sortable time | sortable position | event id. */
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

  /** The customer's orders as stored, oldest purchase first. */
  async softwareOrders(customerId: string): Promise<SoftwareOrderView[]> {
    const ns = await this.ns('software-list');
    const entries = await this.store.entries(ns, customerOrdersIndex(customerId));
    const orderIds = entries.map((e) => e.slice(e.indexOf('|') + 1));
    return (await this.store.getMany(ns, orderIds.map(softwareOrderKey))).filter((o): o is SoftwareOrderView => o !== undefined);
  }

  /** Every line the customer bought: cancelled lines keep their place, marked, with no key available. */
  async softwareList(customerId: string, now: Date = this.clock.now()): Promise<SoftwareList> {
    const nowMs = now.getTime();
    const orders = await this.softwareOrders(customerId);
    const items = orders.flatMap((order) =>
      order.lines.map((line): SoftwareListItem => ({
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
      })),
    );
    return { customerId, items };
  }
}
