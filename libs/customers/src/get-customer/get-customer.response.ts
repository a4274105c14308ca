import { ApiProperty } from '@nestjs/swagger';

/** A customer as the API shows it. */
export class CustomerResponse {
  @ApiProperty({ format: 'uuid', description: "The product's id of the customer, used in paths", example: '41ddd452-014d-4781-83b7-2474676fe5c3' })
  customerId!: string;

  @ApiProperty({ format: 'uuid', description: "The customer's own tenant id", example: '5cd83479-4605-4844-a86e-2bc6f93f5231' })
  tenantId!: string;

  @ApiProperty({ example: 'Contoso' })
  name!: string;

  @ApiProperty({ description: 'Primary domain, lower case (IDNA)', example: 'contoso.example' })
  domain!: string;

  @ApiProperty({ description: 'ISO 3166-1 alpha-2', example: 'FR' })
  market!: string;

  @ApiProperty({ format: 'date-time', example: '2026-03-02T10:00:21.399Z' })
  registeredAt!: string;
}
