import { ApiProperty, ApiPropertyOptional, PickType } from '@nestjs/swagger';
import { Money, SoftwareFields } from '@csp/http';

/** A SKU as the catalog lists it (GetCatalogHandler). */
export class CatalogItem extends PickType(SoftwareFields, ['sku', 'family', 'name', 'licenseType', 'cancellationClass', 'languages', 'fileTypes'] as const) {
  @ApiPropertyOptional({ type: 'integer', enum: [12, 36], description: 'Subscriptions only: the term' })
  termMonths?: 12 | 36;

  @ApiProperty({ type: Money, description: 'Before taxes', example: { amount: 107900, currency: 'USD' } })
  unitPrice!: Money;

  @ApiProperty({ type: [String], description: 'Newest first; the first is the version sold', example: ['2025', '2022', '2019', '2016'] })
  versions!: string[];

  @ApiProperty({ type: 'integer', enum: [0, 1, 2], description: 'How many versions older than the one sold may be chosen (n-1, n-2)', example: 2 })
  downgradeDepth!: 0 | 1 | 2;

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
