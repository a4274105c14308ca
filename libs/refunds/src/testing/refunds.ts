import type { Actor } from '@csp/domain';
import { decideOrder, evolveOrder, initialOrderState, type OrderCommand, type OrderEnvironment, type OrderState } from '@csp/orders';
import { evolveOrderWithRefundDecisions, withoutRefundDecisions, type OrderStreamEvent } from '../order-refund-decisions.state';
import type { RefundRequestEvent } from '../refund-request.events';
import {
  decideRefundRequest,
  evolveRefundRequest,
  initialRefundRequestState,
  type ApproveRefundRequest,
  type RefundRequestCommand,
  type RefundRequestState,
  type RejectRefundRequest,
  type SubmitRefundRequest,
} from '..';
import { agent, CUSTOMER_ID, CUSTOMER_TENANT, env, ORDER_ID, PARTNER } from '../../../domain/src/testing/fixtures';
import { deciderSpec } from '../../../domain/src/testing/given-when-then';
import { history, purchase, stateOf, T0 } from '../../../orders/src/testing/orders';

/**
 * One order and the refund requests around it, as one decider, so that specs can say "given the
 * order was bought, a refund approved and a line cancelled, when …": each event folds into the
 * stream it is appended to — a decision of a request that names the order into the order, the
 * decision of a request without an order into the request.
 */
export interface OrderAndRefunds {
  readonly order: OrderState;
  /** The decisions of the requests naming the order, which its stream holds. */
  readonly decisions: ReadonlyMap<string, 'approved' | 'rejected'>;
  readonly requests: ReadonlyMap<string, RefundRequestState>;
}

export type OrderOrRefundCommand = OrderCommand | RefundRequestCommand;
export type OrderOrRefundEvent = OrderStreamEvent | RefundRequestEvent;

const REFUND_COMMANDS = new Set<string>(['SubmitRefundRequest', 'ApproveRefundRequest', 'RejectRefundRequest']);
const isRefundCommand = (command: OrderOrRefundCommand): command is RefundRequestCommand => REFUND_COMMANDS.has(command.type);

export const initialOrderAndRefunds: OrderAndRefunds = { order: initialOrderState, decisions: new Map(), requests: new Map() };

export function decideOrderOrRefund(command: OrderOrRefundCommand, state: OrderAndRefunds, environment: OrderEnvironment = env): OrderOrRefundEvent[] {
  if (!isRefundCommand(command)) return decideOrder(command, state.order, environment);
  return decideRefundRequest(command, state.requests.get(command.data.refundRequestId) ?? initialRefundRequestState, state);
}

export function evolveOrderAndRefunds(state: OrderAndRefunds, event: OrderOrRefundEvent): OrderAndRefunds {
  const requestOf = (id: string) => state.requests.get(id) ?? initialRefundRequestState;
  const intoRequest = (id: string) => ({
    ...state,
    requests: new Map(state.requests).set(id, evolveRefundRequest(requestOf(id), event as RefundRequestEvent)),
  });
  const namesOrder = (id: string) => {
    const request = requestOf(id);
    return request.status !== 'none' && request.request.orderId !== undefined;
  };
  switch (event.type) {
    case 'RefundRequestSubmitted':
      return intoRequest(event.data.refundRequestId);
    case 'RefundRequestApproved':
    case 'RefundRequestRejected':
      return namesOrder(event.data.refundRequestId) ? { ...state, ...evolveOrderWithRefundDecisions(state, event) } : intoRequest(event.data.refundRequestId);
    case 'CreditIssued':
      return event.data.source.type === 'refund-request' && !namesOrder(event.data.source.refundRequestId)
        ? intoRequest(event.data.source.refundRequestId)
        : { ...state, order: evolveOrder(state.order, event) };
    default:
      return { ...state, order: evolveOrder(state.order, event) };
  }
}

const orderAndRefunds = {
  initialState: initialOrderAndRefunds,
  decide: (command: OrderOrRefundCommand, state: OrderAndRefunds) => decideOrderOrRefund(command, state),
  evolve: evolveOrderAndRefunds,
};
export const givenOrderAndRefunds = deciderSpec<OrderAndRefunds, OrderOrRefundCommand, OrderOrRefundEvent>(orderAndRefunds);

/** The events of a sequence of accepted commands on the order and its refund requests. */
export function orderAndRefundsHistory(...commands: OrderOrRefundCommand[]): OrderOrRefundEvent[] {
  const events: OrderOrRefundEvent[] = [];
  let state = initialOrderAndRefunds;
  for (const command of commands) {
    const decided = decideOrderOrRefund(command, state);
    events.push(...decided);
    state = decided.reduce(evolveOrderAndRefunds, state);
  }
  return events;
}

/** The order the refund request specs name: one ESU licence (support-request class) for 100,000 USD, bought in France. */
export const esuOrder = withoutRefundDecisions(stateOf(history(purchase(T0, [{ sku: 'ESU', quantity: 1 }]))));

/** A refund request's own stream; the decisions of a request naming an order are checked on that order (see decide/decide-refund-request.decide.spec.ts). */
export const givenRefundRequest = deciderSpec<RefundRequestState, RefundRequestCommand, RefundRequestEvent>({
  initialState: initialRefundRequestState,
  decide: (command, state) => decideRefundRequest(command, state, esuOrder),
  evolve: evolveRefundRequest,
});

export const BACK_OFFICE: Actor = { sub: 'bo-1', tid: '99999999-9999-4999-8999-999999999999', roles: ['back-office'] };

export const REFUND_CONTACT = { name: 'Ana', email: 'ana@contoso.example', phone: '+33 1 23 45 67 89' };

/** A refund request naming the fixture order (ORDER_ID), currency left to the order unless given. */
export const submitRefund = (refundRequestId: string, now: string, over: Partial<SubmitRefundRequest['data']> = {}): SubmitRefundRequest => ({
  type: 'SubmitRefundRequest',
  data: {
    refundRequestId,
    partnerTenantId: PARTNER,
    customerTenantId: CUSTOMER_TENANT,
    customerId: CUSTOMER_ID,
    orderId: ORDER_ID,
    reason: 'ESU bought by mistake',
    amountRequested: { amount: 20_000 },
    contact: REFUND_CONTACT,
    attachments: ['invoice.pdf'],
    ...over,
  },
  metadata: { actor: agent, now },
});

export const approveRefund = (refundRequestId: string, now: string, amount?: number, note?: string): ApproveRefundRequest => ({
  type: 'ApproveRefundRequest',
  data: { refundRequestId, ...(amount !== undefined ? { amount } : {}), ...(note !== undefined ? { note } : {}) },
  metadata: { actor: BACK_OFFICE, now },
});

export const rejectRefund = (refundRequestId: string, now: string, reason = 'outside policy'): RejectRefundRequest => ({
  type: 'RejectRefundRequest',
  data: { refundRequestId, reason },
  metadata: { actor: BACK_OFFICE, now },
});
