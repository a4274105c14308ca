import { PagedQueryDto } from '@csp/http';
import { isSoftwareListPosition } from './software-list.queries';

/** GET /v1/customers/{customerId}/software: a page of the customer's lines. */
export class SoftwareListQueryDto extends PagedQueryDto('Lines', isSoftwareListPosition) {}
