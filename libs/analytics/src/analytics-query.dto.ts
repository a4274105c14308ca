import { ApiPropertyOptional } from '@nestjs/swagger';
import { DEFAULT_PAGE_SIZE } from '@csp/domain';
import { QueryId, QueryLimit, QueryParam, ReadYourWritesQueryDto, wholeNumber } from '@csp/http';

/** Every analytics question: a partner (analysts and back office may name one), read-your-writes. */
export class AnalyticsQueryDto extends ReadYourWritesQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: "Analysts and back office: one partner; a partner's own admins see theirs only" })
  @QueryId('partnerTenantId must be a tenant id')
  partnerTenantId?: string;
}

/** The analytics lists: paged with offset and limit. */
export class PagedAnalyticsQueryDto extends AnalyticsQueryDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 0, default: 0, description: 'Rows to skip' })
  @QueryParam({ accepts: wholeNumber(0, Number.MAX_SAFE_INTEGER), message: 'offset must be a whole number ≥ 0' })
  offset?: string;

  @QueryLimit('Rows')
  limit?: string;

  page(): { offset: number; limit: number } {
    return { offset: this.offset === undefined ? 0 : Number(this.offset), limit: this.limit === undefined ? DEFAULT_PAGE_SIZE : Number(this.limit) };
  }
}
