import { Controller, Get, Query } from '@nestjs/common';
import { kmsToMakDeadline } from '@csp/domain';
import { badRequest } from '../http/api-error';
import { Authorize } from '../http/auth';

/** Moving from volume licensing (KMS) to CSP (MAK): by when must the MAK be deployed? */
@Controller('v1/kms-migration')
export class MigrationController {
  @Get('deadline')
  @Authorize('migration.kmsDeadline')
  deadline(@Query('lastActivation') lastActivation?: string) {
    if (typeof lastActivation !== 'string' || lastActivation.length === 0 || lastActivation.length > 40) {
      throw badRequest('lastActivation', 'lastActivation (ISO-8601 date of the last KMS activation) is required');
    }
    return kmsToMakDeadline(lastActivation);
  }
}
