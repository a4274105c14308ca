import { ApiPropertyOptional } from '@nestjs/swagger';
import { MONTH_PATTERN, QueryMonth, QueryParam } from '@csp/http';
import { PagedAnalyticsQueryDto } from '../analytics-query.dto';

/** GET /v1/analytics/credits */
export class CreditAnalyticsQueryDto extends PagedAnalyticsQueryDto {
  @ApiPropertyOptional({ enum: ['partner', 'customer', 'family'], default: 'partner', description: 'What the credits are grouped by' })
  @QueryParam({ accepts: (text) => text === 'partner' || text === 'customer' || text === 'family', message: 'groupBy is partner, customer or family' })
  groupBy?: 'partner' | 'customer' | 'family';

  @ApiPropertyOptional({ description: 'Invoice month, YYYY-MM', pattern: MONTH_PATTERN, example: '2026-03' })
  @QueryMonth()
  month?: string;
}
