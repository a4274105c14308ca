import { ApiProperty } from '@nestjs/swagger';

/** GET /v1/kms-migration/deadline: by when the MAK must be deployed (kmsToMakDeadline). */
export class KmsMigrationDeadlineResponse {
  @ApiProperty({ format: 'date-time', description: 'The last KMS activation, as a UTC instant', example: '2026-01-10T00:00:00.000Z' })
  lastKmsActivation!: string;

  @ApiProperty({ type: 'integer', description: 'Days a KMS activation lasts before it must renew', example: 180 })
  renewalDays!: number;

  @ApiProperty({ format: 'date-time', description: 'When that activation expires: the MAK must be deployed before', example: '2026-07-09T00:00:00.000Z' })
  deadline!: string;
}
