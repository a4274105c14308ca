import { ApiPropertyOptional } from '@nestjs/swagger';
import { QueryParam } from '@csp/http';
import { PagedAnalyticsQueryDto } from '../analytics-query.dto';

const PURCHASE_GROUPS = ['sku', 'market'];

/** GET /v1/analytics/purchases */
export class PurchaseAnalyticsQueryDto extends PagedAnalyticsQueryDto {
  @ApiPropertyOptional({ enum: ['sku', 'market', 'sku,market', 'market,sku'], default: 'sku', description: 'What the purchases are grouped by' })
  @QueryParam({
    accepts: (text) => {
      const groups = text.split(',');
      return groups.every((g) => PURCHASE_GROUPS.includes(g)) && new Set(groups).size === groups.length;
    },
    message: 'groupBy is sku, market or sku,market',
  })
  groupBy?: string;

  groups(): ('sku' | 'market')[] {
    return (this.groupBy ?? 'sku').split(',') as ('sku' | 'market')[];
  }
}
