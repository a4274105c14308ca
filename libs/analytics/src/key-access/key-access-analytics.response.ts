import { ApiProperty } from '@nestjs/swagger';
import { CountProperty } from '@csp/http';
import { AnalyticsPageResponse } from '../analytics-page.response';

/** Key access on one UTC day: days without any are not listed. */
export class KeyAccessDay {
  @ApiProperty({ format: 'date', description: 'YYYY-MM-DD (UTC)', example: '2026-03-02' })
  day!: string;

  @CountProperty('Product keys revealed', 3)
  keyReveals!: number;

  @CountProperty('Download links issued', 1)
  linkIssues!: number;

  @CountProperty('Downloads through a link', 2)
  downloads!: number;
}

/** GET /v1/analytics/key-access: a page of the days in the range, oldest first. */
export class KeyAccessAnalyticsResponse extends AnalyticsPageResponse {
  @ApiProperty({ type: [KeyAccessDay] })
  items!: KeyAccessDay[];
}
