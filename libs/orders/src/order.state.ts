import type { CancellationPolicy, EncryptedKeyMaterial } from '@csp/domain';
import { addCredit, paidByCurrency, type OrderMoney } from './order-credits.rules';
import type { OrderEvent, OrderRef, PurchasedLine, Selection } from './order.events';
import type { LineStatus } from './order-status.rules';
import { issuedLink } from './link-status.rules';

export interface LineState extends PurchasedLine {
  readonly status: LineStatus;
}

export interface KeyState {
  readonly keyId: string;
  readonly fingerprint: string;
  readonly material: EncryptedKeyMaterial;
  readonly line: number;
  readonly revoked: boolean;
}

export interface LinkState extends Selection {
  readonly linkId: string;
  readonly tokenHash: string;
  readonly issuedAt: string;
  readonly expiresAt: string;
  readonly maxDownloads: number;
  readonly downloads: number;
  readonly revoked: boolean;
}

export interface PlacedOrder extends OrderMoney {
  readonly status: 'placed';
  readonly ref: OrderRef;
  readonly market: string;
  readonly taxInclusive: boolean;
  readonly purchasedAt: string;
  readonly policy: CancellationPolicy;
  readonly lines: readonly LineState[];
  /** By selection key (line|version|language|fileType). */
  readonly keys: ReadonlyMap<string, KeyState>;
  /** By link id; a selection may have several live links, each with its own limits. */
  readonly links: ReadonlyMap<string, LinkState>;
  readonly idempotencyKey?: string;
  readonly requestHash?: string;
}

export type OrderState = { readonly status: 'none' } | PlacedOrder;

export const initialOrderState: OrderState = { status: 'none' };

export const selectionKey = (s: Selection) => `${s.line}|${s.version}|${s.language}|${s.fileType}`;

/**
 * The order's state after one of its events. The order's stream also holds the decisions of the
 * refund requests that name it (the refunds context folds those, OrderStreamEvent): no order
 * decision reads them, so they leave the order's state as it is.
 */
export function evolveOrder(state: OrderState, event: OrderEvent): OrderState {
  if (event.type === 'SoftwarePurchased') {
    const { orderId, customerId, customerTenantId, partnerTenantId } = event.data;
    return {
      status: 'placed',
      ref: { orderId, customerId, customerTenantId, partnerTenantId },
      market: event.data.market,
      taxInclusive: event.data.taxInclusive,
      purchasedAt: event.data.purchasedAt,
      policy: event.data.policy,
      lines: event.data.lines.map((line) => ({ ...line, status: 'active' })),
      keys: new Map(),
      links: new Map(),
      paid: paidByCurrency(event.data.lines),
      credited: new Map(),
      ...(event.data.idempotencyKey !== undefined ? { idempotencyKey: event.data.idempotencyKey } : {}),
      ...(event.data.requestHash !== undefined ? { requestHash: event.data.requestHash } : {}),
    };
  }
  if (state.status !== 'placed') return state;
  switch (event.type) {
    case 'ProductKeyAssigned': {
      const d = event.data;
      const key: KeyState = { keyId: d.keyId, fingerprint: d.fingerprint, material: d.material, line: d.line, revoked: false };
      return { ...state, keys: new Map(state.keys).set(selectionKey(d), key) };
    }
    case 'DownloadLinkIssued': {
      const d = event.data;
      const link: LinkState = { ...issuedLink(d), line: d.line, tokenHash: d.tokenHash };
      return { ...state, links: new Map(state.links).set(d.linkId, link) };
    }
    case 'SoftwareDownloaded': {
      const link = state.links.get(event.data.linkId);
      if (!link) return state;
      return { ...state, links: new Map(state.links).set(link.linkId, { ...link, downloads: event.data.downloadNumber }) };
    }
    case 'OrderCancelled': {
      const cancelled = new Set(event.data.lines.map((l) => l.line));
      return { ...state, lines: state.lines.map((line) => (cancelled.has(line.line) ? { ...line, status: 'cancelled' } : line)) };
    }
    case 'ProductKeysRevoked': {
      const revoked = new Set(event.data.keys.map((k) => k.keyId));
      const keys = new Map([...state.keys].map(([k, key]) => [k, revoked.has(key.keyId) ? { ...key, revoked: true } : key]));
      return { ...state, keys };
    }
    case 'DownloadLinksRevoked': {
      const links = new Map(state.links);
      for (const { linkId } of event.data.links) {
        const link = links.get(linkId);
        if (link) links.set(linkId, { ...link, revoked: true });
      }
      return { ...state, links };
    }
    case 'CreditIssued':
      // Every credit of the order, whatever its source, counts against what the order was paid.
      return { ...state, credited: addCredit(state.credited, event.data) };
    default:
      // ProductKeyRevealed changes nothing a decision depends on, nor do the refund decisions the stream holds.
      return state;
  }
}

export function keyForSelection(state: OrderState, selection: Selection): KeyState | undefined {
  return state.status === 'placed' ? state.keys.get(selectionKey(selection)) : undefined;
}
