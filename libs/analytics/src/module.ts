// The analytics context's Nest side, for apps/ and libs/runtime only (.dependency-cruiser.cjs): Nest
// 12 ships ES modules jest cannot load, so nothing pure reaches it through the `@csp/analytics` barrel.
import { AnalyticsController } from './analytics.controller';
import { GetCancellationAnalyticsHandler } from './cancellations/cancellation-analytics.query';
import { GetCreditAnalyticsHandler } from './credits-by-group/credit-analytics.query';
import { GetKeyAccessAnalyticsHandler } from './key-access/key-access-analytics.query';
import { GetPurchaseAnalyticsHandler } from './purchases/purchase-analytics.query';

/** The analytics questions' CQRS handlers, for the API module to register (with READ_SIDE bound). */
export const ANALYTICS_HANDLERS = [GetPurchaseAnalyticsHandler, GetKeyAccessAnalyticsHandler, GetCancellationAnalyticsHandler, GetCreditAnalyticsHandler];
/** The analytics routes (`v1/analytics`): one controller, whose name is in every route's OpenAPI operationId. */
export const ANALYTICS_CONTROLLERS = [AnalyticsController];
