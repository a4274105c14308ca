import { activityLogProjection } from './activity-log';
import { orderHistoryProjection } from './order-history';
import { softwareListProjection } from './software-list';

export * from './activity-log';
export * from './order-history';
export * from './software-list';

/**
 * The read models not yet moved into their bounded context. The product's list of every read model
 * (these and the contexts' projections, @csp/customers, @csp/credits, @csp/analytics) is PROJECTIONS in libs/runtime, where the
 * read side is assembled: this package cannot import the contexts, whose projections import it.
 */
export const UNSLICED_PROJECTIONS = [softwareListProjection, orderHistoryProjection, activityLogProjection];
