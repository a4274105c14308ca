import { ApiPropertyOptional } from '@nestjs/swagger';
import { QueryMonth, QueryParam } from '@csp/http';
import { PagedAnalyticsQueryDto } from '../analytics-query.dto';

/** GET /v1/analytics/credits */
export class CreditAnalyticsQueryDto extends PagedAnalyticsQueryDto {
  @ApiPropertyOptional({ description: 'partner (default), customer or family' })
  @QueryParam({ accepts: (text) => text === 'partner' || text === 'customer' || text === 'family', message: 'groupBy is partner, customer or family' })
  groupBy?: 'partner' | 'customer' | 'family';

  @ApiPropertyOptional({ description: 'Invoice month, YYYY-MM' })
  @QueryMonth()
  month?: string;
}
