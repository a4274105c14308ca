import { ApiProperty } from '@nestjs/swagger';
import { LinkIdProperty, OrderIdProperty, ProductNameProperty, SkuProperty } from '@csp/http';
import { SelectionResponse } from '../selection.response';

/** A download through a link, counted and recorded (a HEAD answers what it would be, counting nothing). */
export class DownloadResponse extends SelectionResponse {
  @LinkIdProperty()
  linkId!: string;

  @OrderIdProperty()
  orderId!: string;

  @SkuProperty("The line's catalog SKU")
  sku!: string;

  @ProductNameProperty.optional()
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
