import { ReadByIdController } from '@csp/http';
import { GetSoftwareListQuery } from './get-software-list.query';
import { SoftwareListQueryDto } from './software-list-query.dto';
import { SoftwareListResponse } from './software-list.response';

/** A customer's software list, from its read model. The route's OpenAPI identity (operationId and tag) is the one clients were generated with. */
export const SoftwareListController = ReadByIdController(
  {
    name: 'SoftwareListController',
    prefix: 'v1/customers/:customerId',
    path: 'software',
    tag: 'CustomerReads',
    action: 'software.read',
    operation: {
      operationId: 'CustomerReadsController_software',
      summary: "List a customer's software, with its keys, download links and cancellation eligibility",
    },
    ok: {
      type: SoftwareListResponse,
      description:
        'A page of the lines the customer bought (oldest purchase first, then by order id and line), with their keys (fingerprints only), links and cancellation eligibility now',
    },
    query: SoftwareListQueryDto,
  },
  (context, customerId, query) => new GetSoftwareListQuery(context, customerId, query.page()),
);
