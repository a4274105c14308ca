import { Controller } from '@nestjs/common';
import { QueryBus, type QueryResult } from '@nestjs/cqrs';
import { GetCatalogQuery } from '@csp/application';
import { NoStoreRefusal, type Documented, QueryRoute } from '@csp/http';
import { CatalogResponse } from './catalog.response';

/** The catalog is reference data loaded at start: its answer needs no store. */
@NoStoreRefusal()
@Controller('v1/catalog')
export class CatalogController {
  constructor(private readonly queries: QueryBus) {}

  @QueryRoute('', 'catalog.read', 'List every SKU sold, with its price and what it ships', {
    type: CatalogResponse,
    description: 'Every SKU sold, with its price, versions, languages, file types and cancellation class',
  })
  list(): Promise<Documented<QueryResult<GetCatalogQuery>, CatalogResponse>> {
    return this.queries.execute(new GetCatalogQuery());
  }
}
