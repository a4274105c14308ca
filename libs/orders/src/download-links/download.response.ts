import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { SelectionResponse } from '../selection.response';

/** A download through a link, counted and recorded (a HEAD answers what it would be, counting nothing). */
export class DownloadResponse extends SelectionResponse {
  @ApiProperty({ format: 'uuid', example: 'c0459ce2-ce51-422c-9885-e9fb7aee8150' })
  linkId!: string;

  @ApiProperty({ format: 'uuid', example: 'af3daed3-8944-5a02-b9b2-c7fe145e8414' })
  orderId!: string;

  @ApiProperty({ description: "The line's catalog SKU", example: 'WS2025-STD' })
  sku!: string;

  @ApiPropertyOptional({ description: 'Product name', example: 'Windows Server 2025 Standard (16 cores)' })
  name?: string;

  @ApiProperty({ example: 'ws2025-std-2025-en-us-x64.iso' })
  fileName!: string;

  @ApiProperty({ type: 'integer', minimum: 1, description: "This download's number through the link", example: 1 })
  downloadNumber!: number;

  @ApiProperty({ type: 'integer', example: 49 })
  downloadsRemaining!: number;

  @ApiProperty({ format: 'date-time', example: '2026-03-02T10:00:22.305Z' })
  downloadedAt!: string;
}
