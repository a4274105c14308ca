import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Money } from '@csp/http';
import { AnalyticsPageResponse } from '../analytics-page.response';

/** Purchases of one group: a SKU, a market, or a SKU in a market (by `groupBy`). */
export class PurchaseGroup {
  @ApiPropertyOptional({ description: 'When grouped by SKU', example: 'WS2025-STD' })
  sku?: string;

  @ApiPropertyOptional({ description: "The SKU's product family, when grouped by SKU", example: 'Windows Server' })
  family?: string;

  @ApiPropertyOptional({ description: 'ISO 3166-1 alpha-2 market, when grouped by market', example: 'FR' })
  market?: string;

  @ApiProperty({ type: 'integer', minimum: 0, description: 'Order lines', example: 2 })
  lines!: number;

  @ApiProperty({ type: 'integer', minimum: 0, description: 'Units over those lines', example: 3 })
  quantity!: number;

  @ApiProperty({ type: [Money], description: 'What they were bought for, per currency', example: [{ amount: 323700, currency: 'USD' }] })
  amounts!: Money[];
}

/** GET /v1/analytics/purchases: a page of the groups, in the order of their keys. */
export class PurchaseAnalyticsResponse extends AnalyticsPageResponse {
  @ApiProperty({ type: [PurchaseGroup] })
  items!: PurchaseGroup[];
}
