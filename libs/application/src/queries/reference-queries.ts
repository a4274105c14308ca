import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { kmsToMakDeadline, type Sku } from '@csp/domain';
import type { ReferenceData } from '../reference-data';
import { REFERENCE_DATA } from '../tokens';

// Questions answered from reference data and the domain's rules alone: no store, no read model.

/** A SKU as the catalog route lists it (SPEC §2): `termMonths` for subscriptions only, `unavailableMarkets` when there are any. */
export type CatalogItem = Pick<
  Sku,
  'sku' | 'family' | 'name' | 'licenseType' | 'termMonths' | 'unitPrice' | 'versions' | 'languages' | 'fileTypes' | 'downgradeDepth' | 'cancellationClass'
> & {
  readonly unavailableMarkets?: readonly string[];
};

export class GetCatalogQuery extends Query<{ items: CatalogItem[] }> {}

@QueryHandler(GetCatalogQuery)
export class GetCatalogHandler implements IQueryHandler<GetCatalogQuery> {
  constructor(@Inject(REFERENCE_DATA) private readonly reference: ReferenceData) {}

  async execute() {
    return {
      items: this.reference.catalog.items.map((sku): CatalogItem => ({
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

/** Moving from volume licensing (KMS) to CSP (MAK): by when the MAK must be deployed, given the last KMS activation. */
export class GetKmsMigrationDeadlineQuery extends Query<ReturnType<typeof kmsToMakDeadline>> {
  constructor(readonly lastActivation: string) {
    super();
  }
}

@QueryHandler(GetKmsMigrationDeadlineQuery)
export class GetKmsMigrationDeadlineHandler implements IQueryHandler<GetKmsMigrationDeadlineQuery> {
  async execute({ lastActivation }: GetKmsMigrationDeadlineQuery) {
    return kmsToMakDeadline(lastActivation);
  }
}
