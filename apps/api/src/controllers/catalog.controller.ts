import { Controller, Get, Inject } from '@nestjs/common';
import { REFERENCE_DATA, type ReferenceData } from '@csp/application';
import { Authorize } from '../http/auth';

@Controller('v1/catalog')
export class CatalogController {
  constructor(@Inject(REFERENCE_DATA) private readonly reference: ReferenceData) {}

  @Get()
  @Authorize('catalog.read')
  list() {
    return {
      items: this.reference.catalog.items.map((sku) => ({
        sku: sku.sku,
        family: sku.family,
        name: sku.name,
        licenseType: sku.licenseType,
        ...(sku.termMonths !== undefined ? { termMonths: sku.termMonths } : {}),
        unitPrice: { amount: sku.unitPrice.amount, currency: sku.unitPrice.currency },
        versions: sku.versions,
        languages: sku.languages,
        fileTypes: sku.fileTypes,
        downgradeDepth: sku.downgradeDepth,
        cancellationClass: sku.cancellationClass,
        ...(sku.unavailableMarkets.length > 0 ? { unavailableMarkets: sku.unavailableMarkets } : {}),
      })),
    };
  }
}
