// The credits context's Nest side, for apps/ and libs/runtime only (.dependency-cruiser.cjs): Nest
// 12 ships ES modules jest cannot load, so nothing pure reaches it through the `@csp/credits` barrel.
import { CreditsController } from './credits.controller';
import { GetCreditsHandler } from './list/credits.query';

/** The credits query's CQRS handler, for the API module to register (with READ_SIDE bound). */
export const CREDITS_HANDLERS = [GetCreditsHandler];
/** The credits route (`v1/credits`): one controller, whose name is in the route's OpenAPI operationId. */
export const CREDITS_CONTROLLERS = [CreditsController];
