import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { GetKmsMigrationDeadlineQuery } from '@csp/application';
import { KmsDeadlineQueryDto } from '../dto/query.dto';
import { Authorize } from '@csp/http';

/** Moving from volume licensing (KMS) to CSP (MAK): by when must the MAK be deployed? */
@Controller('v1/kms-migration')
export class MigrationController {
  constructor(private readonly queries: QueryBus) {}

  @Get('deadline')
  @Authorize('migration.kmsDeadline')
  deadline(@Query() query: KmsDeadlineQueryDto) {
    return this.queries.execute(new GetKmsMigrationDeadlineQuery(query.lastActivation));
  }
}
