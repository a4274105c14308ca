import { ApiPropertyOptional } from '@nestjs/swagger';
import { MONTH_PATTERN, PagedQueryDto, QueryId, QueryMonth } from '@csp/http';
import { isCreditPosition } from '../credits.projection';

/** GET /v1/credits: a page of the credits selected. */
export class CreditsQueryDto extends PagedQueryDto('Credits', isCreditPosition) {
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
