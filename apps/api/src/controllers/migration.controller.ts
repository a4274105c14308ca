import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus, type QueryResult } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { GetKmsMigrationDeadlineQuery } from '@csp/application';
import { KmsDeadlineQueryDto } from '../dto/query.dto';
import { Authorize, NoStoreRefusal, type Documented } from '@csp/http';
import { KmsMigrationDeadlineResponse } from './migration.response';

/** Moving from volume licensing (KMS) to CSP (MAK): by when must the MAK be deployed? A date computation from the request alone: it needs no store. */
@NoStoreRefusal()
@Controller('v1/kms-migration')
export class MigrationController {
  constructor(private readonly queries: QueryBus) {}

  @Get('deadline')
  @Authorize('migration.kmsDeadline')
  @ApiOperation({ summary: 'Tell by when the MAK must be deployed after the last KMS activation' })
  @ApiOkResponse({ type: KmsMigrationDeadlineResponse, description: 'The deadline, 180 days after the last KMS activation' })
  deadline(@Query() query: KmsDeadlineQueryDto): Promise<Documented<QueryResult<GetKmsMigrationDeadlineQuery>, KmsMigrationDeadlineResponse>> {
    return this.queries.execute(new GetKmsMigrationDeadlineQuery(query.lastActivation));
  }
}
