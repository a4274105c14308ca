// Every read model the product keeps, assembled here because the read side (libs/projections)
// cannot import the contexts whose projections import it. Nest-free, so that jest and the CLI may
// load it on its own (`@csp/runtime/projections`); the order is the order of the read side's lag report.
import { analyticsProjection } from '@csp/analytics';
import { creditsProjection } from '@csp/credits';
import { customersProjection } from '@csp/customers';
import { UNSLICED_PROJECTIONS } from '@csp/projections';

/** Every read model the product keeps. */
export const PROJECTIONS = [customersProjection, ...UNSLICED_PROJECTIONS, creditsProjection, analyticsProjection];
