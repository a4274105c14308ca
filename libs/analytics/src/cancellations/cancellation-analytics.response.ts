import { ApiProperty } from '@nestjs/swagger';

/** GET /v1/analytics/cancellations: the share of orders cancelled, and how long after purchase. */
export class CancellationAnalyticsResponse {
  @ApiProperty({ type: 'integer', minimum: 0, description: 'Orders purchased', example: 3 })
  orders!: number;

  @ApiProperty({ type: 'integer', minimum: 0, description: 'Orders with at least one line cancelled', example: 2 })
  cancelledOrders!: number;

  // Fractions, not whole numbers: the two fields of the API typed `number`.
  @ApiProperty({ type: 'number', minimum: 0, maximum: 1, description: 'cancelledOrders / orders, to 4 decimals; 0 when there are no orders', example: 0.6667 })
  cancellationRate!: number;

  @ApiProperty({
    type: 'number',
    nullable: true,
    minimum: 0,
    description: 'Average days from purchase to the first cancellation, to 2 decimals; null when no order was cancelled',
    example: 0,
  })
  averageDaysToCancel!: number | null;
}
