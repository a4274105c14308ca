import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { parseInstantRange, type PageRequest } from '@csp/domain';
import { PagedQueryDto, QueryId, QueryParam, single } from '@csp/http';
import { isActivityPosition } from './activity-log.projection';

/** GET /v1/activity-log: an inclusive range (both bounds; a date alone as `to` is that whole day, UTC), paged by cursor. */
export class ActivityLogQueryDto extends PagedQueryDto('Entries', isActivityPosition) {
  @ApiProperty({ description: 'ISO-8601 date or instant' })
  @QueryParam({ required: true, accepts: (_, query) => rangeProblem(query)?.field !== 'from', message: (_, query) => rangeMessage(query) })
  from!: string;

  @ApiProperty({ description: 'ISO-8601 date or instant; a date alone means the whole of that day (UTC)' })
  @QueryParam({ required: true, accepts: (_, query) => rangeProblem(query)?.field !== 'to', message: (_, query) => rangeMessage(query) })
  to!: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @QueryId('customerId must be a customer id')
  customerId?: string;

  /** What GetActivityLogQuery asks for: the range as UTC instants, the page (once the pipe has passed the query). */
  toRange(): { from: string; to: string; customerId?: string } & PageRequest {
    const range = parseInstantRange(this.from, this.to);
    if ('problem' in range) throw new Error('The activity-log range was not validated');
    return {
      from: new Date(range.from).toISOString(),
      to: new Date(range.to).toISOString(),
      ...(this.customerId ? { customerId: this.customerId } : {}),
      ...this.page(),
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
