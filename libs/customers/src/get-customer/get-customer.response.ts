import { ApiProperty } from '@nestjs/swagger';
import { CustomerIdProperty, CustomerTenantIdProperty, DomainProperty, MarketProperty } from '@csp/http';

/** A customer as the API shows it. */
export class CustomerResponse {
  @CustomerIdProperty("The product's id of the customer, used in paths")
  customerId!: string;

  @CustomerTenantIdProperty("The customer's own tenant id")
  tenantId!: string;

  @ApiProperty({ example: 'Contoso' })
  name!: string;

  @DomainProperty()
  domain!: string;

  @MarketProperty()
  market!: string;

  @ApiProperty({ format: 'date-time', example: '2026-03-02T10:00:21.399Z' })
  registeredAt!: string;
}
