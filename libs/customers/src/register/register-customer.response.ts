import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CustomerResponse } from '../get-customer/get-customer.response';

/** A customer just registered, and the position its registration was committed at. */
export class RegisteredCustomerResponse extends CustomerResponse {
  @ApiProperty({ format: 'uuid', description: 'The partner that registered it: the caller', example: 'aaaaaaaa-0000-4000-8000-000000000001' })
  partnerTenantId!: string;

  @ApiPropertyOptional({ description: 'The position the registration was committed at, for `?atLeast=` (read-your-writes)', example: '1' })
  position?: string;
}
