import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { RefundRequestResponse } from '../get/get-refund-request.response';

class RefundCreditResponse {
  @ApiProperty({ format: 'uuid', description: "The credit's id: the refund request's", example: '97cca66e-bc33-4e02-9e1c-541b8c836ccc' })
  creditId!: string;

  @ApiProperty({ type: 'integer', description: 'Integer minor units of `currency`', example: 5000 })
  amount!: number;

  @ApiProperty({ example: 'USD' })
  currency!: string;

  @ApiProperty({ pattern: '^\\d{4}-\\d{2}$', description: 'The monthly invoice the credit goes on: the month after the approval (UTC)', example: '2026-04' })
  invoiceMonth!: string;
}

/** A decision: the request as it stands now, with the credit an approval issued. */
export class DecidedRefundRequestResponse extends RefundRequestResponse {
  @ApiPropertyOptional({ type: RefundCreditResponse, description: 'Approved only: the credit issued' })
  credit?: RefundCreditResponse;

  @ApiPropertyOptional({ description: 'The position the decision was committed at, for `?atLeast=` (read-your-writes)', example: '11' })
  position?: string;
}
