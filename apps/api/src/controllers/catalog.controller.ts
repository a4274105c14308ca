import { Controller, Get } from '@nestjs/common';
import { QueryBus, type QueryResult } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { GetCatalogQuery } from '@csp/application';
import { Authorize, NoStoreRefusal, type Documented } from '@csp/http';
import { CatalogResponse } from './catalog.response';

/** The catalog is reference data loaded at start: its answer needs no store. */
@NoStoreRefusal()
@Controller('v1/catalog')
export class CatalogController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @Authorize('catalog.read')
  @ApiOperation({ summary: 'List every SKU sold, with its price and what it ships' })
  @ApiOkResponse({ type: CatalogResponse, description: 'Every SKU sold, with its price, versions, languages, file types and cancellation class' })
  list(): Promise<Documented<QueryResult<GetCatalogQuery>, CatalogResponse>> {
    return this.queries.execute(new GetCatalogQuery());
  }
}
