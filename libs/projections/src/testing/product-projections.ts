// The product's read models as libs/runtime assembles them (PROJECTIONS there), for the specs and
// benches of this package, which may not import the composition root (.dependency-cruiser.cjs).
import { analyticsProjection } from '@csp/analytics';
import { activityLogProjection } from '@csp/audit';
import { creditsProjection } from '@csp/credits';
import { orderHistoryProjection, softwareListProjection } from '@csp/orders';
import { customersProjection } from '@csp/customers';

/** Every read model the product keeps, in the order libs/runtime/src/projections.ts lists them. */
export const PROJECTIONS = [customersProjection, softwareListProjection, orderHistoryProjection, activityLogProjection, creditsProjection, analyticsProjection];
