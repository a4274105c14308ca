import { ApiProperty } from '@nestjs/swagger';
import { CountProperty } from '@csp/http';

/** GET /v1/analytics/cancellations: the share of orders cancelled, and how long after purchase. */
export class CancellationAnalyticsResponse {
  @CountProperty('Orders purchased', 3)
  orders!: number;

  @CountProperty('Orders with at least one line cancelled', 2)
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
