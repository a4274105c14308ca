import { ApiProperty } from '@nestjs/swagger';
import { CountProperty } from '@csp/http';

/** What every analytics list says of its page besides its rows (the rows are each question's own). */
export abstract class AnalyticsPageResponse {
  @CountProperty('Rows in the whole answer, every page', 3)
  total!: number;

  @CountProperty('Rows skipped, as asked', 0)
  offset!: number;

  @ApiProperty({ type: 'integer', minimum: 1, maximum: 1000, description: 'Rows in a page at most, as asked', example: 100 })
  limit!: number;
}
