import { Controller, Get } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { GetCatalogQuery } from '@csp/application';
import { Authorize } from '@csp/http';

@Controller('v1/catalog')
export class CatalogController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @Authorize('catalog.read')
  list() {
    return this.queries.execute(new GetCatalogQuery());
  }
}
