import { ApiPropertyOptional } from '@nestjs/swagger';
import { OrderResponse } from '../get-order/get-order.response';

/** The order a purchase answers with (the first one again for a retry), and the position it was committed at. */
export class PurchaseResponse extends OrderResponse {
  @ApiPropertyOptional({ description: 'The position the purchase was committed at, for `?atLeast=` (read-your-writes)', example: '2' })
  position?: string;
}
