import { ApiPropertyOptional } from '@nestjs/swagger';
import { MONTH_PATTERN, QueryId, QueryMonth, ReadYourWritesQueryDto } from '@csp/http';

/** GET /v1/credits */
export class CreditsQueryDto extends ReadYourWritesQueryDto {
  @ApiPropertyOptional({ description: 'Invoice month, YYYY-MM', pattern: MONTH_PATTERN, example: '2026-03' })
  @QueryMonth()
  month?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @QueryId('customerId must be a customer id')
  customerId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Operators only: partner roles always see their own partner' })
  @QueryId('partnerTenantId must be a tenant id')
  partnerTenantId?: string;
}
