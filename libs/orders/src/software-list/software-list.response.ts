import { ApiProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import type { CancellationClass, LicenseType } from '@csp/domain';
import { LineCancellationResponse } from '../eligibility/cancellation-eligibility.response';
import { SelectionResponse } from '../selection.response';
import type { LinkStatus } from '../link-status.rules';
import type { LineStatus } from '../order-status.rules';

const LINK_STATUSES: LinkStatus[] = ['active', 'expired', 'exhausted', 'revoked'];

// A key and a link say what they are for without their line: the software list gives them under it.
class SoftwareKeyResponse extends OmitType(SelectionResponse, ['line'] as const) {
  @ApiProperty({ format: 'uuid', example: '60d276fb-7867-40ae-9c0b-af73c5aa3ebc' })
  keyId!: string;

  @ApiProperty({ description: '`sha256:<hex>` of the key; never the key itself', example: 'sha256:0053f3770188b1fff2c36e9f8ed5de84' })
  fingerprint!: string;

  @ApiProperty({ enum: ['active', 'revoked'], description: '`revoked` once its line is cancelled', example: 'active' })
  status!: 'active' | 'revoked';

  @ApiProperty({ type: 'integer', minimum: 0, example: 1 })
  reveals!: number;

  @ApiPropertyOptional({ format: 'date-time', example: '2026-03-02T10:00:22.045Z' })
  lastRevealedAt?: string;
}

class SoftwareLinkResponse extends OmitType(SelectionResponse, ['line'] as const) {
  @ApiProperty({ format: 'uuid', example: 'c0459ce2-ce51-422c-9885-e9fb7aee8150' })
  linkId!: string;

  @ApiProperty({ format: 'date-time', example: '2026-03-02T10:00:22.083Z' })
  issuedAt!: string;

  @ApiProperty({ format: 'date-time', example: '2026-03-16T10:00:22.083Z' })
  expiresAt!: string;

  @ApiProperty({ type: 'integer', minimum: 0, example: 1 })
  downloads!: number;

  @ApiProperty({ type: 'integer', minimum: 0, description: '0 unless the link still works', example: 49 })
  downloadsRemaining!: number;

  @ApiProperty({ enum: LINK_STATUSES, description: 'Now, by the clock', example: 'active' })
  status!: LinkStatus;
}

/** One line the customer bought; a cancelled line keeps its place, marked, with no key available. */
class SoftwareListItemResponse {
  @ApiProperty({ format: 'uuid', example: 'af3daed3-8944-5a02-b9b2-c7fe145e8414' })
  orderId!: string;

  @ApiProperty({ format: 'date-time', example: '2026-03-02T10:00:21.715Z' })
  purchasedAt!: string;

  @ApiProperty({ example: false })
  taxInclusive!: boolean;

  @ApiProperty({ type: 'integer', minimum: 1, example: 1 })
  line!: number;

  @ApiProperty({ example: 'WS2025-STD' })
  sku!: string;

  @ApiProperty({ example: 'Windows Server' })
  family!: string;

  @ApiProperty({ example: 'Windows Server 2025 Standard (16 cores)' })
  name!: string;

  @ApiProperty({ enum: ['perpetual', 'subscription'], example: 'perpetual' })
  licenseType!: LicenseType;

  @ApiPropertyOptional({ type: 'integer', description: 'Subscriptions only: the term in months (12 or 36)', example: 12 })
  termMonths?: number;

  @ApiProperty({ type: 'integer', minimum: 1, example: 2 })
  quantity!: number;

  @ApiProperty({ type: 'integer', description: 'Integer minor units of `currency`', example: 215800 })
  amount!: number;

  @ApiProperty({ example: 'USD' })
  currency!: string;

  @ApiProperty({ enum: ['active', 'cancelled'], example: 'active' })
  status!: LineStatus;

  @ApiPropertyOptional({ format: 'date-time', description: 'Cancelled lines only', example: '2026-03-02T10:00:22.435Z' })
  cancelledAt?: string;

  @ApiProperty({ description: 'False once the line is cancelled', example: true })
  keyAvailable!: boolean;

  @ApiProperty({
    type: [String],
    description: 'The versions the licence covers: the one bought and its downgrade rights, newest first',
    example: ['2025', '2022', '2019'],
  })
  versions!: string[];

  @ApiProperty({ type: [String], example: ['en-us', 'fr-fr'] })
  languages!: string[];

  @ApiProperty({ type: [String], example: ['x64'] })
  fileTypes!: string[];

  @ApiProperty({ enum: ['standard', 'support-request', 'non-cancellable'], example: 'standard' })
  cancellationClass!: CancellationClass;

  @ApiProperty({ type: LineCancellationResponse, description: "The eligibility route's answer for this line, now" })
  cancellation!: LineCancellationResponse;

  @ApiProperty({ type: [SoftwareKeyResponse] })
  keys!: SoftwareKeyResponse[];

  @ApiProperty({ type: [SoftwareLinkResponse] })
  downloadLinks!: SoftwareLinkResponse[];
}

/** A customer's software list: every line of its orders, oldest purchase first. */
export class SoftwareListResponse {
  @ApiProperty({ format: 'uuid', example: '41ddd452-014d-4781-83b7-2474676fe5c3' })
  customerId!: string;

  @ApiProperty({ type: [SoftwareListItemResponse] })
  items!: SoftwareListItemResponse[];
}
