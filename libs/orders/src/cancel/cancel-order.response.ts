import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { OrderStatus } from '../order-status.rules';

class LineCreditResponse {
  @ApiProperty({ type: 'integer', minimum: 1, example: 2 })
  line!: number;

  @ApiProperty({ type: 'integer', description: 'Integer minor units of `currency`: the line amount, or prorated for a subscription', example: 147900 })
  amount!: number;

  @ApiProperty({ description: 'ISO 4217 code', example: 'USD' })
  currency!: string;

  @ApiProperty({
    pattern: '^\\d{4}-\\d{2}$',
    description: 'The monthly invoice the credit goes on: the month after the cancellation (UTC)',
    example: '2026-04',
  })
  invoiceMonth!: string;
}

/** A cancellation: what was credited, and what was revoked. */
export class OrderCancellationResponse {
  @ApiProperty({ format: 'uuid', example: 'af3daed3-8944-5a02-b9b2-c7fe145e8414' })
  orderId!: string;

  @ApiProperty({ enum: ['partially-cancelled', 'cancelled'], description: 'The order after the cancellation', example: 'partially-cancelled' })
  status!: Exclude<OrderStatus, 'active'>;

  @ApiProperty({ format: 'date-time', example: '2026-03-02T10:00:22.435Z' })
  cancelledAt!: string;

  @ApiProperty({ type: [LineCreditResponse], description: 'One credit per line cancelled' })
  credits!: LineCreditResponse[];

  @ApiProperty({ type: 'integer', minimum: 0, description: 'Product keys of the cancelled lines revoked', example: 0 })
  revokedKeys!: number;

  @ApiProperty({ type: 'integer', minimum: 0, description: 'Download links of the cancelled lines revoked', example: 0 })
  revokedLinks!: number;

  @ApiPropertyOptional({ description: 'The position the cancellation was committed at, for `?atLeast=` (read-your-writes)', example: '8' })
  position?: string;
}
