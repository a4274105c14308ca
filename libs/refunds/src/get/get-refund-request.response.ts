import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

class RefundAmountResponse {
  @ApiProperty({ type: 'integer', description: 'Integer minor units of `currency`', example: 10000 })
  amount!: number;

  @ApiProperty({ description: "ISO 4217 code: the order's for a request naming an order", example: 'USD' })
  currency!: string;
}

class RefundDecisionResponse {
  @ApiProperty({ format: 'date-time', description: 'When it was approved or rejected', example: '2026-03-02T10:00:22.809Z' })
  at!: string;

  @ApiPropertyOptional({ type: RefundAmountResponse, description: 'Approved only: the amount approved' })
  amount?: RefundAmountResponse;

  @ApiPropertyOptional({ description: 'Rejected only: why', example: 'Not a duplicate' })
  reason?: string;

  @ApiPropertyOptional({ description: "Approved only, when given: back office's note", example: 'Goodwill' })
  note?: string;
}

/** A refund request as the API shows it (its contact is not shown). */
export class RefundRequestResponse {
  @ApiProperty({ format: 'uuid', description: 'Also the id of the credit an approval issues', example: '97cca66e-bc33-4e02-9e1c-541b8c836ccc' })
  refundRequestId!: string;

  @ApiProperty({ enum: ['submitted', 'approved', 'rejected'], example: 'submitted' })
  status!: 'submitted' | 'approved' | 'rejected';

  @ApiPropertyOptional({ format: 'uuid', description: "The customer's tenant id, when known", example: '5cd83479-4605-4844-a86e-2bc6f93f5231' })
  tenantId?: string;

  @ApiPropertyOptional({ description: "The customer's primary domain, when given or known", example: 'contoso.example' })
  domain?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'The customer, when registered', example: '41ddd452-014d-4781-83b7-2474676fe5c3' })
  customerId?: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'The order refunded (one of `orderId`, `subscriptionId` at least)',
    example: 'af3daed3-8944-5a02-b9b2-c7fe145e8414',
  })
  orderId?: string;

  @ApiPropertyOptional({ description: 'The subscription refunded', example: 'sub-42' })
  subscriptionId?: string;

  @ApiProperty({ example: 'Licences never deployed' })
  reason!: string;

  @ApiProperty({ type: RefundAmountResponse })
  amountRequested!: RefundAmountResponse;

  @ApiProperty({ type: [String], description: 'Names of the files attached', example: ['invoice.pdf'] })
  attachments!: string[];

  @ApiProperty({ format: 'date-time', example: '2026-03-02T10:00:22.576Z' })
  submittedAt!: string;

  @ApiPropertyOptional({ type: RefundDecisionResponse, description: 'Once approved or rejected' })
  decision?: RefundDecisionResponse;
}
