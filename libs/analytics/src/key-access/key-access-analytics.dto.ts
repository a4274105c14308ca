import { ApiProperty } from '@nestjs/swagger';
import { QueryParam } from '@csp/http';
import { PagedAnalyticsQueryDto } from '../analytics-query.dto';

const DAY = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

/** GET /v1/analytics/key-access: UTC days, inclusive. */
export class KeyAccessAnalyticsQueryDto extends PagedAnalyticsQueryDto {
  @ApiProperty({ format: 'date', description: 'YYYY-MM-DD (UTC)' })
  @QueryParam({
    required: true,
    accepts: (text, query) => DAY.test(text) && !fromAfterTo(text, query.to),
    message: (text, query) => (text !== undefined && fromAfterTo(text, query.to) ? 'from must not be after to' : 'from (YYYY-MM-DD) is required'),
  })
  from!: string;

  @ApiProperty({ format: 'date', description: 'YYYY-MM-DD (UTC), inclusive' })
  @QueryParam({ required: true, accepts: (text) => DAY.test(text), message: 'to (YYYY-MM-DD) is required' })
  to!: string;
}

/** Two valid days out of order: the refusal names `from`. */
const fromAfterTo = (from: string, to: unknown) => DAY.test(from) && typeof to === 'string' && DAY.test(to) && from > to;
