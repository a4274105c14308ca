import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { FamilyProperty, InvoiceMonthProperty, Money, PartnerTenantIdProperty, PerCurrencyProperty } from '@csp/http';
import { AnalyticsPageResponse } from '../analytics-page.response';

/** Credits of one invoice month and one group: a partner, a customer or a product family (by `groupBy`, whose field alone is sent). */
export class CreditGroup {
  @InvoiceMonthProperty('YYYY-MM of the invoice that carries the credits')
  invoiceMonth!: string;

  @PartnerTenantIdProperty.optional('When grouped by partner')
  partnerTenantId?: string;

  @ApiPropertyOptional({ description: 'When grouped by customer: the customer id, or `(none)` for credits without a customer', example: '(none)' })
  customerId?: string;

  @FamilyProperty.optional('When grouped by family: the product family, or `(refund request)` for credits of refund requests')
  family?: string;

  @ApiProperty({ type: 'integer', minimum: 1, description: 'Credits in the group', example: 1 })
  credits!: number;

  @PerCurrencyProperty('Their sum, per currency')
  amounts!: Money[];
}

/** GET /v1/analytics/credits: a page of the groups, by invoice month then group. */
export class CreditAnalyticsResponse extends AnalyticsPageResponse {
  @ApiProperty({ type: [CreditGroup] })
  items!: CreditGroup[];
}
