import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { SelectionResponse } from '../selection.response';

/** A revealed product key: the same key for the same selection, every reveal audited. */
export class RevealedKeyResponse extends SelectionResponse {
  @ApiProperty({ description: 'The MAK key itself: only ever in this answer', example: 'KHB9F-6MWW7-7QVVC-BFV2W-WBB37' })
  productKey!: string;

  @ApiProperty({ enum: ['MAK'], description: 'Always `MAK`: KMS keys are never available' })
  keyType!: 'MAK';

  @ApiProperty({ format: 'uuid', example: '60d276fb-7867-40ae-9c0b-af73c5aa3ebc' })
  keyId!: string;

  @ApiProperty({ description: '`sha256:<hex>` of the key: how audits name it', example: 'sha256:0053f3770188b1fff2c36e9f8ed5de84' })
  fingerprint!: string;

  @ApiProperty({ format: 'uuid', example: 'af3daed3-8944-5a02-b9b2-c7fe145e8414' })
  orderId!: string;

  @ApiPropertyOptional({ description: "The line's catalog SKU", example: 'WS2025-STD' })
  sku?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'When this reveal was recorded', example: '2026-03-02T10:00:22.045Z' })
  revealedAt?: string;

  @ApiPropertyOptional({ description: 'The position the reveal was committed at, for `?atLeast=` (read-your-writes)', example: '4' })
  position?: string;
}
