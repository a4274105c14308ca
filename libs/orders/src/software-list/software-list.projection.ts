import { entitledVersions, instantMs, isoOf, sortableTime, type CancellationClass } from '@csp/domain';
import { lineCancellationDeadline } from '../cancellability.rules';
import type { ProductKeyAssigned, ProductKeyRevealed, PurchasedLine, SoftwarePurchased } from '../order.events';
import type { LineStatus } from '../order-status.rules';
import type { Projection, ReadModelOp, RecordedOf } from '@csp/projections';
import { ORDER_LIFE_EVENTS, type OrderLifeEvent } from '../order-life.rules';
import { issuedLink } from '../link-status.rules';

export interface SoftwareKeyView {
  keyId: string;
  version: string;
  language: string;
  fileType: string;
  /** Never the key itself. */
  fingerprint: string;
  revoked: boolean;
  reveals: number;
  lastRevealedAt?: string;
}

export interface SoftwareLinkView {
  linkId: string;
  version: string;
  language: string;
  fileType: string;
  issuedAt: string;
  expiresAt: string;
  maxDownloads: number;
  downloads: number;
  revoked: boolean;
}

/** What a line shows of its purchase, as SoftwarePurchased recorded it (its unit price aside). */
export type LineTerms = Pick<PurchasedLine, 'line' | 'sku' | 'family' | 'name' | 'licenseType' | 'termMonths' | 'quantity' | 'amount' | 'currency'>;

/** A line's terms alone, field by field: the view and the software list show them as bought, and nothing else of the line. */
export function lineTerms(line: LineTerms): LineTerms {
  return {
    line: line.line,
    sku: line.sku,
    family: line.family,
    name: line.name,
    licenseType: line.licenseType,
    ...(line.termMonths !== undefined ? { termMonths: line.termMonths } : {}),
    quantity: line.quantity,
    amount: line.amount,
    currency: line.currency,
  };
}

export interface SoftwareLineView extends LineTerms {
  status: LineStatus;
  cancelledAt?: string;
  entitledVersions: string[];
  languages: string[];
  fileTypes: string[];
  cancellationClass: CancellationClass;
  /**
   * purchasedAt + the order's recorded policy window for the line's licence type. Stored for every
   * class; whether the line may still be cancelled, for how many days, and whether the deadline is
   * shown (only for `standard` lines, the only ones with a window) is decided at query time by the
   * decider's rule (lineCancellation, cancellability.rules.ts).
   */
  cancellationDeadline: string;
  keys: SoftwareKeyView[];
  links: SoftwareLinkView[];
}

/** One document per order; a customer's software list is its orders' lines. */
export interface SoftwareOrderView {
  orderId: string;
  customerId: string;
  customerTenantId: string;
  partnerTenantId: string;
  purchasedAt: string;
  taxInclusive: boolean;
  lines: SoftwareLineView[];
}

const orderKey = (orderId: string) => `order:${orderId}`;
export const customerOrdersIndex = (customerId: string) => `customer:${customerId}`;

const ORDER_EVENTS: ReadonlySet<string> = new Set(ORDER_LIFE_EVENTS);

function purchased(data: SoftwarePurchased['data']): SoftwareOrderView {
  const bought = instantMs(data.purchasedAt, 'purchasedAt');
  return {
    orderId: data.orderId,
    customerId: data.customerId,
    customerTenantId: data.customerTenantId,
    partnerTenantId: data.partnerTenantId,
    purchasedAt: data.purchasedAt,
    taxInclusive: data.taxInclusive,
    lines: data.lines.map((line) => {
      const deadline = lineCancellationDeadline(bought, data.policy, line.licenseType);
      return {
        ...lineTerms(line),
        status: 'active',
        entitledVersions: entitledVersions(line.versions, line.downgradeDepth),
        languages: line.languages,
        fileTypes: line.fileTypes,
        cancellationClass: line.cancellationClass,
        cancellationDeadline: isoOf(deadline),
        keys: [],
        links: [],
      };
    }),
  };
}

/** Applies a change to one line of the order, returning a new document. */
function onLine(order: SoftwareOrderView, line: number, change: (l: SoftwareLineView) => SoftwareLineView): SoftwareOrderView {
  return { ...order, lines: order.lines.map((l) => (l.line === line ? change(l) : l)) };
}

/** A key as its assignment or its reveal names it, not yet revealed. */
function newKey(d: ProductKeyAssigned['data'] | ProductKeyRevealed['data']): SoftwareKeyView {
  return { keyId: d.keyId, version: d.version, language: d.language, fileType: d.fileType, fingerprint: d.fingerprint, revoked: false, reveals: 0 };
}

function evolve(order: SoftwareOrderView, event: RecordedOf<OrderLifeEvent>): SoftwareOrderView {
  switch (event.type) {
    case 'ProductKeyAssigned': {
      const d = event.data;
      return onLine(order, d.line, (l) => ({
        ...l,
        keys: [...l.keys, newKey(d)],
      }));
    }
    case 'ProductKeyRevealed': {
      const d = event.data;
      // A reveal carries everything the view shows of its key, so it stands even without the assignment before it.
      return onLine(order, d.line, (l) => {
        const known = l.keys.some((k) => k.keyId === d.keyId);
        const keys = known ? l.keys : [...l.keys, newKey(d)];
        return { ...l, keys: keys.map((k) => (k.keyId === d.keyId ? { ...k, reveals: k.reveals + 1, lastRevealedAt: d.revealedAt } : k)) };
      });
    }
    case 'DownloadLinkIssued': {
      const d = event.data;
      const link: SoftwareLinkView = issuedLink(d);
      return onLine(order, d.line, (l) => ({ ...l, links: [...l.links, link] }));
    }
    case 'SoftwareDownloaded': {
      const d = event.data;
      return onLine(order, d.line, (l) => ({ ...l, links: l.links.map((k) => (k.linkId === d.linkId ? { ...k, downloads: d.downloadNumber } : k)) }));
    }
    case 'OrderCancelled': {
      const d = event.data;
      const cancelled = new Set(d.lines.map((l) => l.line));
      return { ...order, lines: order.lines.map((l) => (cancelled.has(l.line) ? { ...l, status: 'cancelled', cancelledAt: d.cancelledAt } : l)) };
    }
    case 'ProductKeysRevoked': {
      const revoked = new Set(event.data.keys.map((k) => k.keyId));
      return { ...order, lines: order.lines.map((l) => ({ ...l, keys: l.keys.map((k) => (revoked.has(k.keyId) ? { ...k, revoked: true } : k)) })) };
    }
    case 'DownloadLinksRevoked': {
      const revoked = new Set(event.data.links.map((k) => k.linkId));
      return { ...order, lines: order.lines.map((l) => ({ ...l, links: l.links.map((k) => (revoked.has(k.linkId) ? { ...k, revoked: true } : k)) })) };
    }
    default:
      return order;
  }
}

export const softwareListProjection: Projection = {
  name: 'software-list',
  eventTypes: ORDER_EVENTS,
  reads: (recorded) => {
    if (!ORDER_EVENTS.has(recorded.type)) return [];
    const event = recorded as RecordedOf<OrderLifeEvent>;
    return event.type === 'SoftwarePurchased' ? [] : [orderKey(event.data.orderId)];
  },
  apply(recorded, docs): ReadModelOp[] {
    if (!ORDER_EVENTS.has(recorded.type)) return [];
    const event = recorded as RecordedOf<OrderLifeEvent>;
    if (event.type === 'SoftwarePurchased') {
      const order = purchased(event.data);
      return [
        { op: 'put', key: orderKey(order.orderId), value: order },
        { op: 'index-add', index: customerOrdersIndex(order.customerId), entry: `${sortableTime(order.purchasedAt)}|${order.orderId}` },
      ];
    }
    const key = orderKey(event.data.orderId);
    const order = docs.get(key) as SoftwareOrderView | undefined;
    // An order event without its purchase means a damaged log: stop and report rather than guess.
    if (!order) throw new Error(`${event.type} at ${event.streamId}@${event.revision} has no purchase before it`);
    return [{ op: 'put', key, value: evolve(order, event) }];
  },
};

export const softwareOrderKey = orderKey;
