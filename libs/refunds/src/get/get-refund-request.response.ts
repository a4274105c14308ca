import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CustomerIdProperty, CustomerTenantIdProperty, DomainProperty, Money, OrderIdProperty, RefundRequestIdProperty } from '@csp/http';

/** An amount of money, asked or approved (for a request naming an order, in the order's currency): Money under its own name in the document. */
class RefundAmountResponse extends Money {}

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
  @RefundRequestIdProperty('Also the id of the credit an approval issues')
  refundRequestId!: string;

  @ApiProperty({ enum: ['submitted', 'approved', 'rejected'], example: 'submitted' })
  status!: 'submitted' | 'approved' | 'rejected';

  @CustomerTenantIdProperty.optional("The customer's tenant id, when known")
  tenantId?: string;

  @DomainProperty.optional("The customer's primary domain, when given or known")
  domain?: string;

  @CustomerIdProperty.optional('The customer, when registered')
  customerId?: string;

  @OrderIdProperty.optional('The order refunded (one of `orderId`, `subscriptionId` at least)')
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
