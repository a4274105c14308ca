import { ApiPropertyOptional, ApiProperty } from '@nestjs/swagger';
import { QueryId, QueryParam } from '@csp/http';
import { EVENT_TYPE_NAME } from '@csp/webhooks';

// The query strings of the GET routes, validated by the same strict pipe as bodies: unknown
// parameters refused naming them, each parameter given at most once, the 400 naming the first
// problem. Values stay the text the client sent (no implicit conversion); ids are lower-cased.

/** GET /v1/events (Server-Sent Events). */
export class EventStreamQueryDto {
  @ApiPropertyOptional({ description: 'Comma-separated event types' })
  @QueryParam({
    accepts: (text) => {
      const types = text
        .split(',')
        .map((t) => t.trim())
        .filter(Boolean);
      return types.length > 0 && types.every((t) => EVENT_TYPE_NAME.test(t));
    },
    message: 'types is a comma-separated list of event types',
  })
  types?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @QueryId('customerId must be a customer id')
  customerId?: string;

  /** Checked by the route: a Last-Event-ID header, when a reconnecting client sends one, takes its place. */
  @ApiPropertyOptional({ description: 'The position to stream from (exclusive); Last-Event-ID takes precedence' })
  @QueryParam({ message: 'must be an event position from this stream' })
  after?: string;

  eventTypes(): string[] | undefined {
    return this.types
      ?.split(',')
      .map((t) => t.trim())
      .filter(Boolean);
  }
}

/** GET /v1/kms-migration/deadline */
export class KmsDeadlineQueryDto {
  @ApiProperty({ description: 'ISO-8601 date or instant of the last KMS activation' })
  @QueryParam({
    required: true,
    accepts: (text) => text.length > 0 && text.length <= 40,
    message: 'lastActivation (ISO-8601 date of the last KMS activation) is required',
    repeated: 'lastActivation (ISO-8601 date of the last KMS activation) is required',
  })
  lastActivation!: string;
}
