import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { MONTH_PATTERN, Money } from '@csp/http';

/** One credit, as GET /v1/credits lists it (GetCreditsHandler). */
export class CreditEntry {
  @ApiProperty({
    description: '`<orderId>:<line>` for a cancellation, the refund request id for a refund',
    example: '5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d:1',
  })
  creditId!: string;

  @ApiProperty({ enum: ['cancellation', 'refund-request'], description: 'What the credit is for', example: 'cancellation' })
  source!: 'cancellation' | 'refund-request';

  @ApiPropertyOptional({
    format: 'uuid',
    example: '2c4e6a8b-0d1f-4a3c-9e5b-7d9f1b3d5f7a',
    description: 'The approved refund request (source `refund-request` only)',
  })
  refundRequestId?: string;

  @ApiProperty({ format: 'uuid', example: '8b0e5a52-3c1f-4d8e-9a47-2f6b1c9d0e13', description: 'The partner tenant whose invoice carries the credit' })
  partnerTenantId!: string;

  @ApiPropertyOptional({
    format: 'uuid',
    example: '0f7e6d5c-4b3a-4291-8807-f6e5d4c3b2a1',
    description: 'The customer credited, when known (always for cancellations)',
  })
  customerId?: string;

  @ApiPropertyOptional({
    format: 'uuid',
    example: '5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d',
    description: 'The order credited, when there is one (always for cancellations)',
  })
  orderId?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, description: 'The cancelled order line (cancellations only)', example: 1 })
  line?: number;

  @ApiPropertyOptional({ description: 'Catalog SKU (cancellations only)', example: 'WS2025-STD' })
  sku?: string;

  @ApiProperty({ type: 'integer', description: 'Integer minor units of `currency`', example: 215800 })
  amount!: number;

  @ApiProperty({ description: 'ISO 4217 code', example: 'USD' })
  currency!: string;

  @ApiProperty({ description: 'Whether the amount includes taxes (purchases in AU and BR)', example: false })
  taxInclusive!: boolean;

  @ApiProperty({ pattern: MONTH_PATTERN, description: 'YYYY-MM of the invoice that carries the credit', example: '2026-04' })
  invoiceMonth!: string;

  @ApiProperty({ format: 'date-time', description: 'ISO-8601 UTC instant of issue', example: '2026-03-02T10:15:00.000Z' })
  issuedAt!: string;
}

/** GET /v1/credits: the credits selected, and their totals per currency. */
export class CreditsResponse {
  @ApiPropertyOptional({ pattern: MONTH_PATTERN, description: 'The invoice month asked for, when one was', example: '2026-04' })
  month?: string;

  @ApiProperty({ type: [CreditEntry] })
  items!: CreditEntry[];

  @ApiProperty({ type: [Money], description: 'Per currency, over the whole selection', example: [{ amount: 215800, currency: 'USD' }] })
  totals!: Money[];
}
