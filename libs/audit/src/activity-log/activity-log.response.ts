import { ApiProperty, ApiPropertyOptional, PickType } from '@nestjs/swagger';
import {
  CustomerIdProperty,
  CustomerTenantIdProperty,
  EventIdProperty,
  KeyFingerprintProperty,
  LinkIdProperty,
  NextCursorProperty,
  OrderIdProperty,
  SoftwareFields,
} from '@csp/http';
import { KEY_ACCESS_KINDS, type KeyAccessKind } from '../key-access.rules';

/** Who accessed, as the event recorded it: the user who revealed or issued, or the client that downloaded. */
export class ActivityActor {
  @ApiPropertyOptional({ description: "The user's subject (token `sub`)", example: 'admin-agent-user' })
  sub?: string;

  @ApiPropertyOptional({ format: 'uuid', example: '8b0e5a52-3c1f-4d8e-9a47-2f6b1c9d0e13', description: "The user's tenant (token `tid`)" })
  tid?: string;

  @ApiPropertyOptional({ type: [String], description: "The user's roles", example: ['admin-agent'] })
  roles?: string[];

  @ApiPropertyOptional({ description: 'The address the request came from', example: '203.0.113.7' })
  ip?: string;

  @ApiPropertyOptional({ description: "The client's User-Agent", example: 'curl/8.5.0' })
  userAgent?: string;
}

/** One key access: a key revealed, a download link issued, or software downloaded; and the software it was for. */
export class ActivityLogEntry extends PickType(SoftwareFields, ['line', 'sku', 'version', 'language', 'fileType'] as const) {
  @EventIdProperty('Id of the event that recorded the access')
  entryId!: string;

  @ApiProperty({ description: 'Global position of that event: orders entries of the same instant', example: '57' })
  position!: string;

  @ApiProperty({ enum: Object.values(KEY_ACCESS_KINDS), description: 'The kind of access', example: 'key-revealed' })
  kind!: KeyAccessKind;

  @ApiProperty({ format: 'date-time', description: "The event's own instant: revealedAt, issuedAt or downloadedAt", example: '2026-03-02T10:15:00.000Z' })
  at!: string;

  @ApiProperty({ type: ActivityActor })
  actor!: ActivityActor;

  @CustomerIdProperty()
  customerId!: string;

  @CustomerTenantIdProperty()
  customerTenantId!: string;

  @OrderIdProperty()
  orderId!: string;

  @KeyFingerprintProperty.optional('`sha256:<hex>` of the key revealed (`key-revealed` only)')
  keyFingerprint?: string;

  @LinkIdProperty.optional('The link issued or downloaded through (`download-link-issued` and `software-downloaded` only)')
  linkId?: string;
}

/** GET /v1/activity-log: a page of the caller's partner's key accesses in the range, in (time, position) order. */
export class ActivityLogResponse {
  @ApiProperty({ format: 'date-time', description: 'The range asked for, as a UTC instant (inclusive)', example: '2026-03-01T00:00:00.000Z' })
  from!: string;

  @ApiProperty({
    format: 'date-time',
    description: 'The end of the range, as a UTC instant (inclusive; a date alone is its last millisecond)',
    example: '2026-03-31T23:59:59.999Z',
  })
  to!: string;

  @ApiProperty({ type: [ActivityLogEntry] })
  items!: ActivityLogEntry[];

  @NextCursorProperty()
  nextCursor?: string;
}
