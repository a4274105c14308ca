// The audit context's Nest side, for apps/ and libs/runtime only (.dependency-cruiser.cjs): Nest
// 12 ships ES modules jest cannot load, so nothing pure reaches it through the `@csp/audit` barrel.
import { ActivityLogController } from './activity-log/activity-log.controller';
import { GetActivityLogHandler } from './activity-log/activity-log.query';

/** The activity-log query's CQRS handler, for the API module to register (with READ_SIDE bound). */
export const AUDIT_HANDLERS = [GetActivityLogHandler];
/** The activity-log route (`v1/activity-log`): one controller, whose name is in the route's OpenAPI operationId. */
export const AUDIT_CONTROLLERS = [ActivityLogController];
