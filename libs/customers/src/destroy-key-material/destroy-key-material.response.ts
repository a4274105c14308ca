import { ApiProperty } from '@nestjs/swagger';

/** The customer tenant's key material, destroyed: none of its product keys can be revealed again. */
export class KeyMaterialDestructionResponse {
  @ApiProperty({ format: 'uuid', example: '41ddd452-014d-4781-83b7-2474676fe5c3' })
  customerId!: string;

  @ApiProperty({ format: 'uuid', example: '5cd83479-4605-4844-a86e-2bc6f93f5231' })
  tenantId!: string;

  @ApiProperty({ format: 'date-time', example: '2026-03-02T10:00:23.092Z' })
  destroyedAt!: string;

  @ApiProperty({ description: 'The position the destruction was recorded at, for `?atLeast=` (read-your-writes)', example: '14' })
  position!: string;
}
