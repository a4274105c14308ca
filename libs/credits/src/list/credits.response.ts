import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  AmountProperty,
  CurrencyProperty,
  CustomerIdProperty,
  InvoiceMonthProperty,
  LineProperty,
  MONTH_PATTERN,
  Money,
  NextCursorProperty,
  OrderIdProperty,
  PartnerTenantIdProperty,
  PerCurrencyProperty,
  RefundRequestIdProperty,
  SkuProperty,
  TaxInclusiveProperty,
} from '@csp/http';

/** One credit, as GET /v1/credits lists it (GetCreditsHandler). */
export class CreditEntry {
  @ApiProperty({
    description: '`<orderId>:<line>` for a cancellation, the refund request id for a refund',
    example: 'af3daed3-8944-5a02-b9b2-c7fe145e8414:1',
  })
  creditId!: string;

  @ApiProperty({ enum: ['cancellation', 'refund-request'], description: 'What the credit is for', example: 'cancellation' })
  source!: 'cancellation' | 'refund-request';

  @RefundRequestIdProperty.optional('The approved refund request (source `refund-request` only)')
  refundRequestId?: string;

  @PartnerTenantIdProperty('The partner tenant whose invoice carries the credit')
  partnerTenantId!: string;

  @CustomerIdProperty.optional('The customer credited, when known (always for cancellations)')
  customerId?: string;

  @OrderIdProperty.optional('The order credited, when there is one (always for cancellations)')
  orderId?: string;

  @LineProperty.optional('The cancelled order line (cancellations only)')
  line?: number;

  @SkuProperty.optional('Catalog SKU (cancellations only)')
  sku?: string;

  @AmountProperty()
  amount!: number;

  @CurrencyProperty()
  currency!: string;

  @TaxInclusiveProperty()
  taxInclusive!: boolean;

  @InvoiceMonthProperty()
  invoiceMonth!: string;

  @ApiProperty({ format: 'date-time', description: 'ISO-8601 UTC instant of issue', example: '2026-03-02T10:15:00.000Z' })
  issuedAt!: string;
}

/** GET /v1/credits: a page of the credits selected, by invoice month then credit id, and the totals per currency of the whole selection. */
export class CreditsResponse {
  @ApiPropertyOptional({ pattern: MONTH_PATTERN, description: 'The invoice month asked for, when one was', example: '2026-04' })
  month?: string;

  @ApiProperty({ type: [CreditEntry], description: 'At most `limit` credits' })
  items!: CreditEntry[];

  @PerCurrencyProperty('Per currency, over the whole selection (every page of it), not this page alone: the same on every page')
  totals!: Money[];

  @NextCursorProperty()
  nextCursor?: string;
}
