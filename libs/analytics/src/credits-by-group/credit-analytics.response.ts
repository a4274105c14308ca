import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { MONTH_PATTERN, Money } from '@csp/http';
import { AnalyticsPageResponse } from '../analytics-page.response';

/** Credits of one invoice month and one group: a partner, a customer or a product family (by `groupBy`, whose field alone is sent). */
export class CreditGroup {
  @ApiProperty({ pattern: MONTH_PATTERN, description: 'YYYY-MM of the invoice that carries the credits', example: '2026-04' })
  invoiceMonth!: string;

  @ApiPropertyOptional({ format: 'uuid', example: '8b0e5a52-3c1f-4d8e-9a47-2f6b1c9d0e13', description: 'When grouped by partner' })
  partnerTenantId?: string;

  @ApiPropertyOptional({ description: 'When grouped by customer: the customer id, or `(none)` for credits without a customer', example: '(none)' })
  customerId?: string;

  @ApiPropertyOptional({ description: 'When grouped by family: the product family, or `(refund request)` for credits of refund requests', example: 'Office' })
  family?: string;

  @ApiProperty({ type: 'integer', minimum: 1, description: 'Credits in the group', example: 1 })
  credits!: number;

  @ApiProperty({ type: [Money], description: 'Their sum, per currency', example: [{ amount: 172200, currency: 'USD' }] })
  amounts!: Money[];
}

/** GET /v1/analytics/credits: a page of the groups, by invoice month then group. */
export class CreditAnalyticsResponse extends AnalyticsPageResponse {
  @ApiProperty({ type: [CreditGroup] })
  items!: CreditGroup[];
}
