import { ApiPropertyOptional } from '@nestjs/swagger';
import { QueryId, QueryMonth, ReadYourWritesQueryDto } from '@csp/http';

/** GET /v1/credits */
export class CreditsQueryDto extends ReadYourWritesQueryDto {
  @ApiPropertyOptional({ description: 'Invoice month, YYYY-MM' })
  @QueryMonth()
  month?: string;

  @ApiPropertyOptional()
  @QueryId('customerId must be a customer id')
  customerId?: string;

  @ApiPropertyOptional({ description: 'Operators only: partner roles always see their own partner' })
  @QueryId('partnerTenantId must be a tenant id')
  partnerTenantId?: string;
}
