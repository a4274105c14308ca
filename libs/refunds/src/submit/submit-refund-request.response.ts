import { ApiPropertyOptional } from '@nestjs/swagger';
import { RefundRequestResponse } from '../get/get-refund-request.response';

/** A refund request just filed, and the position it was committed at. */
export class SubmittedRefundRequestResponse extends RefundRequestResponse {
  @ApiPropertyOptional({ description: 'The position the request was committed at, for `?atLeast=` (read-your-writes)', example: '9' })
  position?: string;
}
