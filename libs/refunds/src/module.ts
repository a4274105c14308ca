// The refunds context's Nest side, for apps/ and libs/runtime only (.dependency-cruiser.cjs): Nest
// 12 ships ES modules jest cannot load, so nothing pure reaches it through the `@csp/refunds` barrel.
import { DecideRefundRequestHandler } from './decide/decide-refund-request.handler';
import { GetRefundRequestHandler } from './get/get-refund-request.query';
import { RefundRequestsController } from './refund-requests.controller';
import { SubmitRefundRequestHandler } from './submit/submit-refund-request.handler';

/** The refund requests' CQRS handlers, for the API module to register (with EVENT_STORE, CLOCK and StreamRepository bound). */
export const REFUNDS_HANDLERS = [SubmitRefundRequestHandler, DecideRefundRequestHandler, GetRefundRequestHandler];
/** The refund requests' routes (`v1/refund-requests`): one controller, whose name is in the routes' OpenAPI operationIds. */
export const REFUNDS_CONTROLLERS = [RefundRequestsController];
