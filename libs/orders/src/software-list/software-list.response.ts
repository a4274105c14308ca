import { ApiProperty, ApiPropertyOptional, IntersectionType, OmitType, PickType } from '@nestjs/swagger';
import { CountProperty, CustomerIdProperty, NextCursorProperty, SoftwareFields } from '@csp/http';
import { IssuedDownloadLinkResponse } from '../download-links/issue-download-link.response';
import { LineCancellationResponse } from '../eligibility/cancellation-eligibility.response';
import { OrderLineResponse, OrderResponse } from '../get-order/get-order.response';
import { RevealedKeyResponse } from '../reveal-key/reveal-key.response';
import { SelectionResponse } from '../selection.response';
import type { LinkStatus } from '../link-status.rules';

const LINK_STATUSES: LinkStatus[] = ['active', 'expired', 'exhausted', 'revoked'];

// A key and a link say what they are for without their line: the software list gives them under it.
const SoftwareResponse = OmitType(SelectionResponse, ['line'] as const);

class SoftwareKeyResponse extends IntersectionType(SoftwareResponse, PickType(RevealedKeyResponse, ['keyId', 'fingerprint'] as const)) {
  @ApiProperty({ enum: ['active', 'revoked'], description: '`revoked` once its line is cancelled', example: 'active' })
  status!: 'active' | 'revoked';

  @CountProperty('Times the key was revealed', 1)
  reveals!: number;

  @ApiPropertyOptional({ format: 'date-time', example: '2026-03-02T10:00:22.045Z' })
  lastRevealedAt?: string;
}

class SoftwareLinkResponse extends IntersectionType(SoftwareResponse, PickType(IssuedDownloadLinkResponse, ['linkId', 'issuedAt', 'expiresAt'] as const)) {
  @CountProperty('Downloads through the link so far', 1)
  downloads!: number;

  @CountProperty('0 unless the link still works', 49)
  downloadsRemaining!: number;

  @ApiProperty({ enum: LINK_STATUSES, description: 'Now, by the clock', example: 'active' })
  status!: LinkStatus;
}

/** One line the customer bought; a cancelled line keeps its place, marked, with no key available. */
class SoftwareListItemResponse extends IntersectionType(
  PickType(OrderResponse, ['orderId', 'purchasedAt', 'taxInclusive'] as const),
  OmitType(OrderLineResponse, ['unitPrice'] as const),
  PickType(SoftwareFields, ['languages', 'fileTypes'] as const),
) {
  @ApiProperty({ description: 'False once the line is cancelled', example: true })
  keyAvailable!: boolean;

  @ApiProperty({
    type: [String],
    description: 'The versions the licence covers: the one bought and its downgrade rights, newest first',
    example: ['2025', '2022', '2019'],
  })
  versions!: string[];

  @ApiProperty({ type: LineCancellationResponse, description: "The eligibility route's answer for this line, now" })
  cancellation!: LineCancellationResponse;

  @ApiProperty({ type: [SoftwareKeyResponse] })
  keys!: SoftwareKeyResponse[];

  @ApiProperty({ type: [SoftwareLinkResponse] })
  downloadLinks!: SoftwareLinkResponse[];
}

/** A page of a customer's software list: the lines of its orders, oldest purchase first, then by order id and line. */
export class SoftwareListResponse {
  @CustomerIdProperty()
  customerId!: string;

  @ApiProperty({ type: [SoftwareListItemResponse], description: 'At most `limit` lines; an order may continue on the next page' })
  items!: SoftwareListItemResponse[];

  @NextCursorProperty()
  nextCursor?: string;
}
