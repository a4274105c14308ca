import { accessedBy, conflict, instantMs, invalid, invoiceMonthAfter, subscriptionCredit } from '@csp/domain';
import { cancellationRefusal, lineCancellationDeadline, type CancellationRefusal } from '../cancellability.rules';
import type { CancelOrder } from '../order.commands';
import { addCredit, creditableRemainder } from '../order-credits.rules';
import type { CancelledLine, CreditIssued, OrderEvent } from '../order.events';
import { orderStatus } from '../order-status.rules';
import type { LineState, PlacedOrder } from '../order.state';
import type { Now } from '../order.rules';

/** Why a line cannot be cancelled now, or undefined if it can (the rule: cancellability.rules.ts). */
export function lineRefusal(order: PlacedOrder, line: LineState, nowMs: number): CancellationRefusal | undefined {
  return cancellationRefusal(line, lineDeadline(order, line), nowMs);
}

/** When the line's cancellation window closes, epoch ms (the rule: cancellability.rules.ts). */
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

export function decideCancelOrder(command: CancelOrder, order: PlacedOrder, now: Now): OrderEvent[] {
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
