import { ApiProperty } from '@nestjs/swagger';
import { AnalyticsPageResponse } from '../analytics-page.response';

/** Key access on one UTC day: days without any are not listed. */
export class KeyAccessDay {
  @ApiProperty({ format: 'date', description: 'YYYY-MM-DD (UTC)', example: '2026-03-02' })
  day!: string;

  @ApiProperty({ type: 'integer', minimum: 0, description: 'Product keys revealed', example: 3 })
  keyReveals!: number;

  @ApiProperty({ type: 'integer', minimum: 0, description: 'Download links issued', example: 1 })
  linkIssues!: number;

  @ApiProperty({ type: 'integer', minimum: 0, description: 'Downloads through a link', example: 2 })
  downloads!: number;
}

/** GET /v1/analytics/key-access: a page of the days in the range, oldest first. */
export class KeyAccessAnalyticsResponse extends AnalyticsPageResponse {
  @ApiProperty({ type: [KeyAccessDay] })
  items!: KeyAccessDay[];
}
