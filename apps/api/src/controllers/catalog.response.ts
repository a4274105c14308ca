import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { CancellationClass, LicenseType } from '@csp/domain';
import { Money } from '@csp/http';

/** A SKU as the catalog lists it (GetCatalogHandler). */
export class CatalogItem {
  @ApiProperty({ example: 'WS2025-STD' })
  sku!: string;

  @ApiProperty({ example: 'Windows Server' })
  family!: string;

  @ApiProperty({ example: 'Windows Server 2025 Standard (16 cores)' })
  name!: string;

  @ApiProperty({ enum: ['perpetual', 'subscription'], example: 'perpetual' })
  licenseType!: LicenseType;

  @ApiPropertyOptional({ type: 'integer', enum: [12, 36], description: 'Subscriptions only: the term' })
  termMonths?: 12 | 36;

  @ApiProperty({ type: Money, description: 'Before taxes', example: { amount: 107900, currency: 'USD' } })
  unitPrice!: Money;

  @ApiProperty({ type: [String], description: 'Newest first; the first is the version sold', example: ['2025', '2022', '2019', '2016'] })
  versions!: string[];

  @ApiProperty({ type: [String], example: ['en-us', 'fr-fr', 'de-de', 'es-es', 'ja-jp'] })
  languages!: string[];

  @ApiProperty({ type: [String], example: ['x64'] })
  fileTypes!: string[];

  @ApiProperty({ type: 'integer', enum: [0, 1, 2], description: 'How many versions older than the one sold may be chosen (n-1, n-2)', example: 2 })
  downgradeDepth!: 0 | 1 | 2;

  @ApiProperty({
    enum: ['standard', 'support-request', 'non-cancellable'],
    description: 'standard: cancellable inside the policy window; support-request: through a refund request; non-cancellable: never',
    example: 'standard',
  })
  cancellationClass!: CancellationClass;

  @ApiPropertyOptional({
    type: [String],
    description: 'ISO 3166-1 alpha-2 markets where it cannot be sold; absent when there are none',
    example: ['AX', 'AS', 'AD'],
  })
  unavailableMarkets?: string[];
}

/** GET /v1/catalog */
export class CatalogResponse {
  @ApiProperty({ type: [CatalogItem] })
  items!: CatalogItem[];
}
