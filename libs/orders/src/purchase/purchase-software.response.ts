import { CommittedPositionProperty } from '@csp/http';
import { OrderResponse } from '../get-order/get-order.response';

/** The order a purchase answers with (the first one again for a retry), and the position it was committed at. */
export class PurchaseResponse extends OrderResponse {
  @CommittedPositionProperty.optional()
  position?: string;
}
