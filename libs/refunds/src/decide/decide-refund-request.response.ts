import { ApiPropertyOptional } from '@nestjs/swagger';
import { CommittedPositionProperty, InvoiceMonthProperty, Money, RefundRequestIdProperty } from '@csp/http';
import { RefundRequestResponse } from '../get/get-refund-request.response';

/** The credit an approval issues: the amount approved, on the next monthly invoice. */
class RefundCreditResponse extends Money {
  @RefundRequestIdProperty("The credit's id: the refund request's")
  creditId!: string;

  @InvoiceMonthProperty('The monthly invoice the credit goes on: the month after the approval (UTC)')
  invoiceMonth!: string;
}

/** A decision: the request as it stands now, with the credit an approval issued. */
export class DecidedRefundRequestResponse extends RefundRequestResponse {
  @ApiPropertyOptional({ type: RefundCreditResponse, description: 'Approved only: the credit issued' })
  credit?: RefundCreditResponse;

  @CommittedPositionProperty.optional()
  position?: string;
}
