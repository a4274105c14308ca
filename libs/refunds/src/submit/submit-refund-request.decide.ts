import { accessedBy, conflict, instantMs, invalid, isoOf, type Money } from '@csp/domain';
import { type PlacedOrder } from '@csp/orders';
import type { OrderWithRefundDecisions } from '../order-refund-decisions.state';
import type { RefundRequestSubmitted } from '../refund-request.events';
import { checkRefundSubmission, DEFAULT_REFUND_CURRENCY, orderNamed } from '../refund-request.rules';
import type { RefundRequestState } from '../refund-request.state';
import type { SubmitRefundRequest } from '../refund-request.commands';

/** Files a refund request: `order` is the order it names, required when it names one (the request takes its currency). */
export function decideRefundSubmission(command: SubmitRefundRequest, state: RefundRequestState, order?: OrderWithRefundDecisions): RefundRequestSubmitted[] {
  const by = accessedBy(command);
  const now = isoOf(instantMs(command.metadata.now, 'now'));
  if (state.status !== 'none') throw conflict('refund_request_exists', 'This refund request already exists');
  const amountRequested = validateSubmission(command.data, command.data.orderId !== undefined ? orderNamed(order?.order, command.data.orderId) : undefined);
  return [{ type: 'RefundRequestSubmitted', data: { ...command.data, amountRequested, submittedAt: now, submittedBy: by } }];
}

/** Checks a submission; returns the amount requested, in the order's currency when it names one, else in the one given. */
function validateSubmission(data: SubmitRefundRequest['data'], order: PlacedOrder | undefined): Money {
  const amount = checkRefundSubmission(data);
  const given = data.amountRequested.currency;
  return { amount, currency: order ? orderCurrency(order, given) : (given ?? DEFAULT_REFUND_CURRENCY) };
}

/**
 * A request naming an order is in that order's money: a credit in another currency would refund
 * what was never paid (a USD order credited in JPY), so another currency is refused rather than
 * converted. An order paid in several currencies (a catalog mixing them) needs the request to say which.
 */
function orderCurrency(order: PlacedOrder, given: string | undefined): string {
  const currencies = [...order.paid.keys()];
  if (given === undefined) {
    if (currencies.length === 1) return currencies[0]!;
    throw invalid('invalid_currency', `The order was paid in ${currencies.join(' and ')}: currency must say which`, {
      field: 'currency',
      orderCurrencies: currencies,
    });
  }
  if (!currencies.includes(given)) {
    throw invalid('currency_mismatch', `The order was paid in ${currencies.join(', ')}, not ${given}: a refund request is in the money of the order it names`, {
      field: 'currency',
      orderCurrencies: currencies,
    });
  }
  return given;
}
