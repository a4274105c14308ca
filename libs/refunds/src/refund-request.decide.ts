import type { OrderWithRefundDecisions } from './order-refund-decisions.state';
import type { RefundRequestEvent } from './refund-request.events';
import type { RefundRequestState } from './refund-request.state';
import { decideRefundDecision } from './decide/decide-refund-request.decide';
import type { RefundRequestCommand } from './refund-request.commands';
import { decideRefundSubmission } from './submit/submit-refund-request.decide';

/**
 * Decides a refund request command. `order` is the state of the order the request names, and is
 * required when it names one: the request takes the order's currency, and its approval is capped
 * by what the order has left to credit. The events of a decision on such a request belong to the
 * order's stream (see refundDecisionStreamId), appended under the order's expected revision.
 */
export function decideRefundRequest(command: RefundRequestCommand, state: RefundRequestState, order?: OrderWithRefundDecisions): RefundRequestEvent[] {
  return command.type === 'SubmitRefundRequest' ? decideRefundSubmission(command, state, order) : decideRefundDecision(command, state, order);
}
