import { ReadByIdController } from '@csp/http';
import { GetCustomerQuery } from './get-customer/get-customer.query';
import { CustomerResponse } from './get-customer/get-customer.response';

/**
 * A customer, from the read model. The route was CustomerReadsController's, with the customer's
 * software list and order history: it keeps that controller's OpenAPI tag and operationId, which
 * clients may have generated code from.
 */
export const CustomerController = ReadByIdController(
  {
    name: 'CustomerController',
    prefix: 'v1/customers/:customerId',
    path: '',
    tag: 'CustomerReads',
    action: 'customer.read',
    operation: { operationId: 'CustomerReadsController_customer', summary: 'Get a customer' },
    ok: { type: CustomerResponse, description: 'The customer' },
  },
  (context, customerId) => new GetCustomerQuery(context, customerId),
);
