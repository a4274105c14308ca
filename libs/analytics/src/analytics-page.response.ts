import { ApiProperty } from '@nestjs/swagger';

/** What every analytics list says of its page besides its rows (the rows are each question's own). */
export abstract class AnalyticsPageResponse {
  @ApiProperty({ type: 'integer', minimum: 0, description: 'Rows in the whole answer, every page', example: 3 })
  total!: number;

  @ApiProperty({ type: 'integer', minimum: 0, description: 'Rows skipped, as asked', example: 0 })
  offset!: number;

  @ApiProperty({ type: 'integer', minimum: 1, maximum: 1000, description: 'Rows in a page at most, as asked', example: 100 })
  limit!: number;
}
