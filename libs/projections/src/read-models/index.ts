import { activityLogProjection } from './activity-log';
import { analyticsProjection } from './analytics';
import { creditsProjection } from './credits';
import { customersProjection } from './customers';
import { orderHistoryProjection } from './order-history';
import { softwareListProjection } from './software-list';

export * from './activity-log';
export * from './analytics';
export * from './credits';
export * from './customers';
export * from './order-history';
export * from './software-list';

/** Every read model the product keeps. */
export const PROJECTIONS = [customersProjection, softwareListProjection, orderHistoryProjection, activityLogProjection, creditsProjection, analyticsProjection];
