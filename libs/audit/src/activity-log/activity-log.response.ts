import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
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

/** One key access: a key revealed, a download link issued, or software downloaded. */
export class ActivityLogEntry {
  @ApiProperty({ format: 'uuid', example: '09c57446-925c-4d8b-881b-5a2a1f92d6d2', description: 'Id of the event that recorded the access' })
  entryId!: string;

  @ApiProperty({ description: 'Global position of that event: orders entries of the same instant', example: '57' })
  position!: string;

  @ApiProperty({ enum: Object.values(KEY_ACCESS_KINDS), description: 'The kind of access', example: 'key-revealed' })
  kind!: KeyAccessKind;

  @ApiProperty({ format: 'date-time', description: "The event's own instant: revealedAt, issuedAt or downloadedAt", example: '2026-03-02T10:15:00.000Z' })
  at!: string;

  @ApiProperty({ type: ActivityActor })
  actor!: ActivityActor;

  @ApiProperty({ format: 'uuid', example: '0f7e6d5c-4b3a-4291-8807-f6e5d4c3b2a1' })
  customerId!: string;

  @ApiProperty({ format: 'uuid', example: 'c4d2a9e7-61b5-4f03-8e2d-7a9c3b5f1d20', description: "The customer's tenant" })
  customerTenantId!: string;

  @ApiProperty({ format: 'uuid', example: '5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d' })
  orderId!: string;

  @ApiProperty({ type: 'integer', minimum: 1, description: 'The order line', example: 1 })
  line!: number;

  @ApiProperty({ example: 'WS2025-STD' })
  sku!: string;

  @ApiProperty({ example: '2025' })
  version!: string;

  @ApiProperty({ example: 'en-us' })
  language!: string;

  @ApiProperty({ example: 'x64' })
  fileType!: string;

  @ApiPropertyOptional({
    description: '`sha256:<hex>` of the key revealed (`key-revealed` only)',
    example: 'sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
  })
  keyFingerprint?: string;

  @ApiPropertyOptional({
    format: 'uuid',
    example: '6e5d4c3b-2a19-4807-b6f5-e4d3c2b1a098',
    description: 'The link issued or downloaded through (`download-link-issued` and `software-downloaded` only)',
  })
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

  @ApiPropertyOptional({ description: 'Present when more entries follow: pass it as `cursor` for the next page; opaque' })
  nextCursor?: string;
}
