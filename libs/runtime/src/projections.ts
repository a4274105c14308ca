// Every read model the product keeps, assembled here because the read side (libs/projections)
// cannot import the contexts whose projections import it. Nest-free, so that jest and the CLI may
// load it on its own (`@csp/runtime/projections`); the order is the order of the read side's lag report.
import { analyticsProjection } from '@csp/analytics';
import { activityLogProjection } from '@csp/audit';
import { creditsProjection } from '@csp/credits';
import { orderHistoryProjection, softwareListProjection } from '@csp/orders';
import { customersProjection } from '@csp/customers';

/** Every read model the product keeps. */
export const PROJECTIONS = [customersProjection, softwareListProjection, orderHistoryProjection, activityLogProjection, creditsProjection, analyticsProjection];
