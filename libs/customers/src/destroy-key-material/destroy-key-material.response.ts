import { ApiProperty, PickType } from '@nestjs/swagger';
import { CommittedPositionProperty } from '@csp/http';
import { CustomerResponse } from '../get-customer/get-customer.response';

/** The customer tenant's key material, destroyed: none of its product keys can be revealed again. */
export class KeyMaterialDestructionResponse extends PickType(CustomerResponse, ['customerId', 'tenantId'] as const) {
  @ApiProperty({ format: 'date-time', example: '2026-03-02T10:00:23.092Z' })
  destroyedAt!: string;

  @CommittedPositionProperty()
  position!: string;
}
