import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { SelectionResponse } from '../selection.response';

/** A download link just issued: 14 days or 50 downloads, whichever comes first. */
export class IssuedDownloadLinkResponse extends SelectionResponse {
  @ApiProperty({ format: 'uuid', example: 'c0459ce2-ce51-422c-9885-e9fb7aee8150' })
  linkId!: string;

  @ApiProperty({
    format: 'uri',
    description: 'The link: no token needed, it grants this download only (never a key)',
    example: 'https://csp.example/v1/downloads/af3daed3-8944-5a02-b9b2-c7fe145e8414.quMEOrey1AYR_7OyrRyL7Pear9xnNh7K9HGHEq2UCmQ',
  })
  url!: string;

  @ApiProperty({ format: 'date-time', example: '2026-03-16T10:00:22.083Z' })
  expiresAt!: string;

  @ApiProperty({ type: 'integer', example: 50 })
  downloadsRemaining!: number;

  @ApiProperty({ type: 'integer', example: 50 })
  maxDownloads!: number;

  @ApiProperty({ format: 'uuid', example: 'af3daed3-8944-5a02-b9b2-c7fe145e8414' })
  orderId!: string;

  @ApiProperty({ format: 'date-time', example: '2026-03-02T10:00:22.083Z' })
  issuedAt!: string;

  @ApiPropertyOptional({ description: 'The position the link was committed at, for `?atLeast=` (read-your-writes)', example: '5' })
  position?: string;
}
