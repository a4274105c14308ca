import { ApiProperty } from '@nestjs/swagger';
import { CountProperty, FamilyProperty, MarketProperty, Money, PerCurrencyProperty, SkuProperty } from '@csp/http';
import { AnalyticsPageResponse } from '../analytics-page.response';

/** Purchases of one group: a SKU, a market, or a SKU in a market (by `groupBy`). */
export class PurchaseGroup {
  @SkuProperty.optional('When grouped by SKU')
  sku?: string;

  @FamilyProperty.optional("The SKU's product family, when grouped by SKU")
  family?: string;

  @MarketProperty.optional('ISO 3166-1 alpha-2 market, when grouped by market')
  market?: string;

  @CountProperty('Order lines', 2)
  lines!: number;

  @CountProperty('Units over those lines', 3)
  quantity!: number;

  @PerCurrencyProperty('What they were bought for, per currency')
  amounts!: Money[];
}

/** GET /v1/analytics/purchases: a page of the groups, in the order of their keys. */
export class PurchaseAnalyticsResponse extends AnalyticsPageResponse {
  @ApiProperty({ type: [PurchaseGroup] })
  items!: PurchaseGroup[];
}
