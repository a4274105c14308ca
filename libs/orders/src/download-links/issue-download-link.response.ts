import { ApiProperty } from '@nestjs/swagger';
import { CommittedPositionProperty, LinkIdProperty, OrderIdProperty } from '@csp/http';
import { SelectionResponse } from '../selection.response';

/** A download link just issued: 14 days or 50 downloads, whichever comes first. */
export class IssuedDownloadLinkResponse extends SelectionResponse {
  @LinkIdProperty()
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

  @OrderIdProperty()
  orderId!: string;

  @ApiProperty({ format: 'date-time', example: '2026-03-02T10:00:22.083Z' })
  issuedAt!: string;

  @CommittedPositionProperty.optional()
  position?: string;
}
