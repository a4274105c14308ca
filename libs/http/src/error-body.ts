import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

// The error shape is a class and not only a type so that the OpenAPI document describes it from
// the very declaration the filter, the body parser and the server's own refusals are typed by.

/** What was refused and why: a stable code to branch on, a message for people, and what it concerns. */
export class Refusal {
  @ApiProperty({
    description: 'Stable, snake_case: branch on it (e.g. `validation_failed`, `order_cancelled`, `read_model_behind`)',
    example: 'validation_failed',
  })
  code!: string;

  @ApiProperty({ description: 'For people; may change', example: 'quantity must not be greater than 10000' })
  message!: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description:
      'What the refusal concerns, by code: `field` for invalid input, `retryAfterSeconds` when throttled or behind, `remaining` when a credit exceeds its order…',
    example: { field: 'lines[0].quantity' },
  })
  details?: Record<string, unknown>;
}

/** The one error shape of the API (SPEC §2). */
export class ErrorBody {
  @ApiProperty({ type: Refusal })
  error!: Refusal;
}

export { errorBody } from './error-shape';
