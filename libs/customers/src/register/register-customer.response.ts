import { CommittedPositionProperty, PartnerTenantIdProperty } from '@csp/http';
import { CustomerResponse } from '../get-customer/get-customer.response';

/** A customer just registered, and the position its registration was committed at. */
export class RegisteredCustomerResponse extends CustomerResponse {
  @PartnerTenantIdProperty('The partner that registered it: the caller')
  partnerTenantId!: string;

  @CommittedPositionProperty.optional()
  position?: string;
}
