// The product's read models as libs/runtime assembles them (PROJECTIONS there), for the specs and
// benches of this package, which may not import the composition root (.dependency-cruiser.cjs).
import { analyticsProjection } from '@csp/analytics';
import { creditsProjection } from '@csp/credits';
import { customersProjection } from '@csp/customers';
import { UNSLICED_PROJECTIONS } from '../read-models';

/** Every read model the product keeps, in the order libs/runtime/src/projections.ts lists them. */
export const PROJECTIONS = [customersProjection, ...UNSLICED_PROJECTIONS, creditsProjection, analyticsProjection];
