import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { parseInstantRange } from '@csp/domain';
import { QueryId, QueryParam, ReadYourWritesQueryDto, single, wholeNumber } from '@csp/http';
import { decodeActivityCursor } from './activity-log.query';

/** GET /v1/activity-log: an inclusive range (both bounds; a date alone as `to` is that whole day, UTC), paged by cursor. */
export class ActivityLogQueryDto extends ReadYourWritesQueryDto {
  @ApiProperty({ description: 'ISO-8601 date or instant' })
  @QueryParam({ required: true, accepts: (_, query) => rangeProblem(query)?.field !== 'from', message: (_, query) => rangeMessage(query) })
  from!: string;

  @ApiProperty({ description: 'ISO-8601 date or instant; a date alone means the whole of that day (UTC)' })
  @QueryParam({ required: true, accepts: (_, query) => rangeProblem(query)?.field !== 'to', message: (_, query) => rangeMessage(query) })
  to!: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @QueryId('customerId must be a customer id')
  customerId?: string;

  @ApiPropertyOptional({ description: 'The nextCursor of the previous page' })
  @QueryParam({ accepts: (text) => decodeActivityCursor(text) !== undefined, message: 'cursor must be a nextCursor returned by this route' })
  cursor?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 1000, default: 100, description: 'Entries in the page' })
  @QueryParam({ accepts: wholeNumber(1, 1000), message: 'limit must be a whole number from 1 to 1000' })
  limit?: string;

  /** What GetActivityLogQuery asks for: the range as UTC instants, the page (once the pipe has passed the query). */
  toRange(): { from: string; to: string; limit: number; customerId?: string; cursor?: string } {
    const range = parseInstantRange(this.from, this.to);
    if ('problem' in range) throw new Error('The activity-log range was not validated');
    const cursor = this.cursor !== undefined ? decodeActivityCursor(this.cursor) : undefined;
    return {
      from: new Date(range.from).toISOString(),
      to: new Date(range.to).toISOString(),
      limit: this.limit === undefined ? 100 : Number(this.limit),
      ...(this.customerId ? { customerId: this.customerId } : {}),
      ...(cursor ? { cursor } : {}),
    };
  }
}

/** The range's first problem, by the rule the audit CLI shares (parseInstantRange); a bound given twice counts as absent here. */
function rangeProblem(query: Record<string, unknown>) {
  const range = parseInstantRange(single(query.from), single(query.to));
  return 'problem' in range ? range : undefined;
}

function rangeMessage(query: Record<string, unknown>): string {
  const { field, problem } = rangeProblem(query) ?? { field: 'from', problem: 'malformed' };
  return problem === 'missing'
    ? `${field} (ISO-8601 date or instant) is required`
    : problem === 'malformed'
      ? `${field} must be an ISO-8601 date or instant`
      : 'from must not be after to';
}
