import { CommittedPositionProperty } from '@csp/http';
import { RefundRequestResponse } from '../get/get-refund-request.response';

/** A refund request just filed, and the position it was committed at. */
export class SubmittedRefundRequestResponse extends RefundRequestResponse {
  @CommittedPositionProperty.optional()
  position?: string;
}
