import { addByCurrency, moneyList, type Money } from '@csp/domain';
import type { PurchasedLine } from './order.events';

/**
 * The money of one order, per currency: what its lines were paid and what has been credited for it
 * since (cancellations and approved refund requests alike, every one of them recorded in the
 * order's own stream). The order's stream is the one place both kinds of credit are decided, so
 * one expected revision guards the bound below against every concurrent writer.
 */
export interface OrderMoney {
  /** Minor units paid per currency: the sum of the lines' amounts. */
  readonly paid: ReadonlyMap<string, number>;
  /** Minor units credited per currency so far. */
  readonly credited: ReadonlyMap<string, number>;
}

/** What an order's lines were paid, per currency (the rule: shared/money.ts). */
export function paidByCurrency(lines: readonly Pick<PurchasedLine, 'amount' | 'currency'>[]): Map<string, number> {
  return addByCurrency(lines);
}

/**
 * What may still be credited on an order in a currency: what its lines were paid in it minus
 * every credit already issued for it. 0 for a currency the order was not paid in, so a credit in
 * another currency never fits. Never negative.
 */
export function creditableRemainder(money: OrderMoney, currency: string): number {
  return Math.max(0, (money.paid.get(currency) ?? 0) - (money.credited.get(currency) ?? 0));
}

/** The remainder of every currency the order was paid in, for responses and refusals, in currency-code order. */
export function creditableRemainders(money: OrderMoney): Money[] {
  return moneyList(new Map([...money.paid.keys()].map((currency) => [currency, creditableRemainder(money, currency)])));
}

/** `credited` plus one credit. */
export function addCredit(credited: ReadonlyMap<string, number>, credit: Money): Map<string, number> {
  return addByCurrency([credit], credited);
}
