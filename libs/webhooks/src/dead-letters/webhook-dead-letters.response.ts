import { ApiProperty } from '@nestjs/swagger';

/** An event every attempt failed to deliver: parked here, while delivery went on. */
export class DeadLetter {
  @ApiProperty({ format: 'uuid', example: '3d6f0a9e-2b4c-4e8a-9f1d-7c5b3a2e1f04' })
  webhookId!: string;

  @ApiProperty({ format: 'uuid', example: '09c57446-925c-4d8b-881b-5a2a1f92d6d2', description: 'The event not delivered' })
  eventId!: string;

  @ApiProperty({ example: 'SoftwarePurchased' })
  eventType!: string;

  @ApiProperty({ description: "The event's position: replay from just before it to deliver it again", example: '57' })
  position!: string;

  @ApiProperty({ type: 'integer', minimum: 1, description: 'Attempts made', example: 4 })
  attempts!: number;

  @ApiProperty({ description: 'Why the last attempt failed', example: 'HTTP 503' })
  lastError!: string;

  @ApiProperty({ format: 'date-time', description: 'When it was dead-lettered', example: '2026-03-02T10:15:00.000Z' })
  at!: string;
}

/** GET /v1/webhooks/{webhookId}/dead-letters: every event dead-lettered, oldest first. */
export class WebhookDeadLettersResponse {
  @ApiProperty({ format: 'uuid', example: '3d6f0a9e-2b4c-4e8a-9f1d-7c5b3a2e1f04' })
  webhookId!: string;

  @ApiProperty({ type: [DeadLetter] })
  items!: DeadLetter[];
}
