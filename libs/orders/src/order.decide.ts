import { entitledVersions, isTaxInclusiveMarket, type Catalog } from '../catalog/catalog';
import type { CancellationPolicy } from '../policy/cancellation-policy';
import { policyInForce } from '../policy/policy-table';
import { invoiceMonthAfter, subscriptionCredit } from '../policy/credit';
import { cancellationRefusal, lineCancellationDeadline, type CancellationRefusal } from './cancellability';
import { addCredit, creditableRemainder } from './credits';
import { linkStatus } from './links';
import { orderStatus } from './status';
import { conflict, gone, invalid, notFound } from '../shared/errors';
import { constantTimeEqual } from '../shared/constant-time';
import { MAX_LINES, MAX_QUANTITY } from '../shared/limits';
import { DAY_MS, instantMs, isoOf } from '../shared/time';
import type { AccessedBy, CancelledLine, CreditIssued, OrderEvent, PurchasedLine, Selection } from './events';
import type { CancelOrder, IssueDownloadLink, OrderCommand, PurchaseSoftware, RecordDownload, RevealKey } from './commands';
import { selectionKey, type LineState, type OrderState, type PlacedOrder } from './state';

export interface OrderEnvironment {
  readonly catalog: Catalog;
  readonly policies: readonly CancellationPolicy[];
}

export const LINK_LIFETIME_MS = 14 * DAY_MS;
export const LINK_MAX_DOWNLOADS = 50;

/** The decision instant, parsed once: epoch ms for arithmetic, canonical ISO for events. */
interface Now {
  readonly ms: number;
  readonly iso: string;
}

export function decideOrder(command: OrderCommand, state: OrderState, env: OrderEnvironment): OrderEvent[] {
  const ms = instantMs(command.metadata.now, 'now');
  const now: Now = { ms, iso: isoOf(ms) };
  switch (command.type) {
    case 'PurchaseSoftware':
      return purchase(command, state, env, now);
    case 'RevealKey':
      return revealKey(command, placed(state), now);
    case 'IssueDownloadLink':
      return issueDownloadLink(command, placed(state), now);
    case 'RecordDownload':
      return recordDownload(command, placed(state), now);
    case 'CancelOrder':
      return cancel(command, placed(state), now);
  }
}

function placed(state: OrderState): PlacedOrder {
  if (state.status !== 'placed') throw notFound('order_not_found', 'No such order');
  return state;
}

const accessedBy = (command: OrderCommand): AccessedBy => ({
  sub: command.metadata.actor.sub,
  tid: command.metadata.actor.tid,
  roles: [...command.metadata.actor.roles],
});

function purchase(command: PurchaseSoftware, state: OrderState, env: OrderEnvironment, now: Now): OrderEvent[] {
  const { orderId, customer, lines, idempotencyKey, requestHash } = command.data;
  if (state.status === 'placed') {
    // Same idempotency key: the same request is a retry (answered with the first order), another is a misuse.
    if (requestHash !== undefined && state.requestHash === requestHash) return [];
    if (requestHash !== undefined)
      throw conflict('idempotency_key_reused', 'This idempotency key was used for a different purchase', { field: 'idempotencyKey' });
    throw conflict('order_exists', 'This order already exists');
  }
  if (lines.length === 0 || lines.length > MAX_LINES) throw invalid('invalid_lines', `An order has 1 to ${MAX_LINES} lines`, { field: 'lines' });
  const purchased: PurchasedLine[] = lines.map(({ sku: skuId, quantity }, index) => {
    if (!Number.isInteger(quantity) || quantity < 1 || quantity > MAX_QUANTITY) {
      throw invalid('invalid_quantity', `A quantity is a whole number from 1 to ${MAX_QUANTITY}`, { field: `lines[${index}].quantity` });
    }
    const sku = env.catalog.find(skuId);
    if (!sku) throw invalid('unknown_sku', `There is no SKU "${skuId}" in the catalog`, { field: `lines[${index}].sku` });
    if (sku.unavailableMarkets.includes(customer.market)) {
      throw invalid('market_not_available', `${sku.name} cannot be sold to a customer in market ${customer.market}`, {
        field: `lines[${index}].sku`,
        market: customer.market,
      });
    }
    const amount = sku.unitPrice.amount * quantity;
    if (!Number.isSafeInteger(amount)) throw invalid('invalid_quantity', 'The line amount is too large', { field: `lines[${index}].quantity` });
    return {
      line: index + 1,
      sku: sku.sku,
      family: sku.family,
      name: sku.name,
      licenseType: sku.licenseType,
      ...(sku.termMonths !== undefined ? { termMonths: sku.termMonths } : {}),
      quantity,
      unitPrice: sku.unitPrice.amount,
      amount,
      currency: sku.unitPrice.currency,
      versions: [...sku.versions],
      languages: [...sku.languages],
      fileTypes: [...sku.fileTypes],
      downgradeDepth: sku.downgradeDepth,
      cancellationClass: sku.cancellationClass,
    };
  });
  return [
    {
      type: 'SoftwarePurchased',
      data: {
        orderId,
        customerId: customer.customerId,
        customerTenantId: customer.tenantId,
        partnerTenantId: customer.partnerTenantId,
        market: customer.market,
        taxInclusive: isTaxInclusiveMarket(customer.market),
        lines: purchased,
        policy: policyInForce(env.policies, now.iso),
        purchasedAt: now.iso,
        purchasedBy: accessedBy(command),
        ...(idempotencyKey !== undefined ? { idempotencyKey } : {}),
        ...(requestHash !== undefined ? { requestHash } : {}),
      },
    },
  ];
}

/** Checks a selection against the line's rights; returns the active line. */
function selectedLine(order: PlacedOrder, selection: Selection): LineState {
  const line = order.lines.find((l) => l.line === selection.line);
  if (!line) throw invalid('unknown_line', `The order has no line ${selection.line}`, { field: 'line' });
  const versions = entitledVersions(line.versions, line.downgradeDepth);
  if (!versions.includes(selection.version)) {
    throw invalid('version_not_entitled', `Version "${selection.version}" is not covered by this licence; entitled versions: ${versions.join(', ')}`, {
      field: 'version',
      entitledVersions: versions,
    });
  }
  if (!line.languages.includes(selection.language)) {
    throw invalid('language_not_available', `Language "${selection.language}" is not offered; available: ${line.languages.join(', ')}`, { field: 'language' });
  }
  if (!line.fileTypes.includes(selection.fileType)) {
    throw invalid('file_type_not_available', `File type "${selection.fileType}" is not offered; available: ${line.fileTypes.join(', ')}`, {
      field: 'fileType',
    });
  }
  if (line.status === 'cancelled') throw conflict('line_cancelled', `Line ${line.line} of this order is cancelled`, { line: line.line });
  return line;
}

const selectionOf = (d: Selection): Selection => ({ line: d.line, version: d.version, language: d.language, fileType: d.fileType });

function revealKey(command: RevealKey, order: PlacedOrder, now: Now): OrderEvent[] {
  const { keyType, newKey } = command.data;
  if (keyType !== undefined) {
    const type = keyType.toUpperCase();
    if (type === 'KMS') {
      throw invalid('kms_not_available', 'CSP purchases activate with MAK (multiple activation) keys; KMS keys are not available', { field: 'keyType' });
    }
    if (type !== 'MAK') throw invalid('invalid_key_type', 'keyType must be MAK', { field: 'keyType' });
  }
  const selection = selectionOf(command.data);
  const line = selectedLine(order, selection);
  const events: OrderEvent[] = [];
  let key = order.keys.get(selectionKey(selection));
  if (!key) {
    events.push({
      type: 'ProductKeyAssigned',
      data: {
        ...order.ref,
        ...selection,
        sku: line.sku,
        keyId: newKey.keyId,
        keyType: 'MAK',
        fingerprint: newKey.fingerprint,
        material: newKey.material,
        assignedAt: now.iso,
      },
    });
    key = { ...newKey, line: line.line, revoked: false };
  }
  events.push({
    type: 'ProductKeyRevealed',
    data: { ...order.ref, ...selection, sku: line.sku, keyId: key.keyId, fingerprint: key.fingerprint, revealedAt: now.iso, revealedBy: accessedBy(command) },
  });
  return events;
}

function issueDownloadLink(command: IssueDownloadLink, order: PlacedOrder, now: Now): OrderEvent[] {
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

function recordDownload(command: RecordDownload, order: PlacedOrder, now: Now): OrderEvent[] {
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

/** Why a line cannot be cancelled now, or undefined if it can (the rule: cancellability.ts). */
export function lineRefusal(order: PlacedOrder, line: LineState, nowMs: number): CancellationRefusal | undefined {
  return cancellationRefusal(line, lineDeadline(order, line), nowMs);
}

/** When the line's cancellation window closes, epoch ms (the rule: cancellability.ts). */
export function lineDeadline(order: PlacedOrder, line: LineState): number {
  return lineCancellationDeadline(instantMs(order.purchasedAt), order.policy, line.licenseType);
}

/** Perpetual licences are credited in full; subscriptions for the whole days left in their term. */
function lineCredit(line: LineState, purchasedAtMs: number, cancelledAtMs: number): number {
  if (line.licenseType === 'perpetual') return line.amount;
  // A subscription line always records its term at purchase; without one the order's history is corrupt.
  if (line.termMonths === undefined) throw new Error(`Order line ${line.line} is a subscription without a term`);
  return subscriptionCredit(line.amount, line.termMonths, purchasedAtMs, cancelledAtMs);
}

function cancel(command: CancelOrder, order: PlacedOrder, now: Now): OrderEvent[] {
  const named = command.data.lines;
  let targets: LineState[];
  if (named === undefined) {
    targets = order.lines.filter((l) => l.status === 'active');
    if (targets.length === 0) throw conflict('order_cancelled', 'This order is already cancelled');
  } else {
    if (named.length === 0 || new Set(named).size !== named.length) throw invalid('invalid_lines', 'lines must name distinct order lines', { field: 'lines' });
    targets = named.map((n) => {
      const line = order.lines.find((l) => l.line === n);
      if (!line) throw invalid('unknown_line', `The order has no line ${n}`, { field: 'lines' });
      return line;
    });
  }
  // All or nothing: one refused line cancels nothing.
  for (const line of targets) {
    const refusal = lineRefusal(order, line, now.ms);
    if (refusal) throw conflict(refusal.code, refusal.message, { line: line.line });
  }
  const purchasedAtMs = instantMs(order.purchasedAt);
  const invoiceMonth = invoiceMonthAfter(now.ms);
  // Approved refunds may already have credited part of the order: each line's credit is capped by
  // what the order has left to credit in its currency (after the lines before it in this
  // cancellation), so the order's credits together never exceed what its lines were paid. Without
  // earlier refunds the cap never bites: the line credits sum to at most the lines' amounts.
  let credited = order.credited;
  const cancelled: CancelledLine[] = targets.map((line) => {
    const amount = Math.min(lineCredit(line, purchasedAtMs, now.ms), creditableRemainder({ paid: order.paid, credited }, line.currency));
    credited = addCredit(credited, { amount, currency: line.currency });
    return { line: line.line, sku: line.sku, licenseType: line.licenseType, amount: line.amount, credit: { amount, currency: line.currency } };
  });
  const cancelledLines = new Set(targets.map((l) => l.line));
  const cancelledAfter = order.lines.filter((l) => l.status === 'cancelled' || cancelledLines.has(l.line)).length;
  const events: OrderEvent[] = [
    {
      type: 'OrderCancelled',
      data: {
        ...order.ref,
        lines: cancelled,
        wholeOrder: orderStatus(order.lines.length, cancelledAfter) === 'cancelled',
        reason: command.data.reason,
        cancelledAt: now.iso,
        cancelledBy: accessedBy(command),
        invoiceMonth,
      },
    },
  ];
  const keys = [...order.keys.values()].filter((k) => cancelledLines.has(k.line) && !k.revoked);
  if (keys.length > 0) {
    events.push({
      type: 'ProductKeysRevoked',
      data: {
        ...order.ref,
        keys: keys.map((k) => ({ keyId: k.keyId, line: k.line, fingerprint: k.fingerprint })),
        revokedAt: now.iso,
        reason: 'order-cancelled',
      },
    });
  }
  const links = [...order.links.values()].filter((l) => cancelledLines.has(l.line) && !l.revoked);
  if (links.length > 0) {
    events.push({
      type: 'DownloadLinksRevoked',
      data: { ...order.ref, links: links.map((l) => ({ linkId: l.linkId, line: l.line })), revokedAt: now.iso, reason: 'order-cancelled' },
    });
  }
  // A line whose credit the cap brought to 0 is cancelled with no credit: there is nothing to invoice.
  for (const line of cancelled.filter((l) => l.credit.amount > 0)) {
    const purchasedLine = order.lines.find((l) => l.line === line.line)!;
    const credit: CreditIssued = {
      type: 'CreditIssued',
      data: {
        creditId: `${order.ref.orderId}:${line.line}`,
        source: { type: 'cancellation', orderId: order.ref.orderId, line: line.line },
        partnerTenantId: order.ref.partnerTenantId,
        customerId: order.ref.customerId,
        customerTenantId: order.ref.customerTenantId,
        orderId: order.ref.orderId,
        line: line.line,
        sku: line.sku,
        family: purchasedLine.family,
        amount: line.credit.amount,
        currency: line.credit.currency,
        taxInclusive: order.taxInclusive,
        invoiceMonth,
        issuedAt: now.iso,
      },
    };
    events.push(credit);
  }
  return events;
}
