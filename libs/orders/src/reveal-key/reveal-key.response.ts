import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CommittedPositionProperty, KeyFingerprintProperty, OrderIdProperty, SkuProperty } from '@csp/http';
import { SelectionResponse } from '../selection.response';

/** A revealed product key: the same key for the same selection, every reveal audited. */
export class RevealedKeyResponse extends SelectionResponse {
  @ApiProperty({ description: 'The MAK key itself: only ever in this answer', example: 'KHB9F-6MWW7-7QVVC-BFV2W-WBB37' })
  productKey!: string;

  @ApiProperty({ enum: ['MAK'], description: 'Always `MAK`: KMS keys are never available' })
  keyType!: 'MAK';

  @ApiProperty({ format: 'uuid', example: '60d276fb-7867-40ae-9c0b-af73c5aa3ebc' })
  keyId!: string;

  @KeyFingerprintProperty()
  fingerprint!: string;

  @OrderIdProperty()
  orderId!: string;

  @SkuProperty.optional("The line's catalog SKU")
  sku?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'When this reveal was recorded', example: '2026-03-02T10:00:22.045Z' })
  revealedAt?: string;

  @CommittedPositionProperty.optional()
  position?: string;
}
