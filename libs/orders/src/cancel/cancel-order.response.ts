import { ApiProperty } from '@nestjs/swagger';
import { AmountProperty, CommittedPositionProperty, CountProperty, CurrencyProperty, InvoiceMonthProperty, LineProperty, OrderIdProperty } from '@csp/http';
import type { OrderStatus } from '../order-status.rules';

class LineCreditResponse {
  @LineProperty()
  line!: number;

  @AmountProperty('Integer minor units of `currency`: the line amount, or prorated for a subscription')
  amount!: number;

  @CurrencyProperty()
  currency!: string;

  @InvoiceMonthProperty('The monthly invoice the credit goes on: the month after the cancellation (UTC)')
  invoiceMonth!: string;
}

/** A cancellation: what was credited, and what was revoked. */
export class OrderCancellationResponse {
  @OrderIdProperty()
  orderId!: string;

  @ApiProperty({ enum: ['partially-cancelled', 'cancelled'], description: 'The order after the cancellation', example: 'partially-cancelled' })
  status!: Exclude<OrderStatus, 'active'>;

  @ApiProperty({ format: 'date-time', example: '2026-03-02T10:00:22.435Z' })
  cancelledAt!: string;

  @ApiProperty({ type: [LineCreditResponse], description: 'One credit per line cancelled' })
  credits!: LineCreditResponse[];

  @CountProperty('Product keys of the cancelled lines revoked', 0)
  revokedKeys!: number;

  @CountProperty('Download links of the cancelled lines revoked', 0)
  revokedLinks!: number;

  @CommittedPositionProperty.optional()
  position?: string;
}
