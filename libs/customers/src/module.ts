// The customers context's Nest side, for apps/ and libs/runtime only (.dependency-cruiser.cjs): Nest
// 12 ships ES modules jest cannot load, so nothing pure reaches it through the `@csp/customers` barrel.
import { CustomerController } from './customer.controller';
import { CustomersController } from './customers.controller';
import { DestroyKeyMaterialHandler } from './destroy-key-material/destroy-key-material.handler';
import { GetCustomerHandler } from './get-customer/get-customer.query';
import { RegisterCustomerHandler } from './register/register-customer.handler';

/** The customers' CQRS handlers, for the API module to register (with StreamRepository, EVENT_STORE, CLOCK, READ_SIDE, REFERENCE_DATA and TenantKeyring bound). */
export const CUSTOMERS_HANDLERS = [RegisterCustomerHandler, DestroyKeyMaterialHandler, GetCustomerHandler];
/** The customers' routes: the commands (`v1/customers`) and the customer by id, whose controller keeps the OpenAPI tag and operationId the route had. */
export const CUSTOMERS_CONTROLLERS = [CustomersController, CustomerController];
