import { ApiProperty } from '@nestjs/swagger';
import { EventIdProperty, WebhookIdProperty } from '@csp/http';

/** An event every attempt failed to deliver: parked here, while delivery went on. */
export class DeadLetter {
  @WebhookIdProperty()
  webhookId!: string;

  @EventIdProperty('The event not delivered')
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
  @WebhookIdProperty()
  webhookId!: string;

  @ApiProperty({ type: [DeadLetter] })
  items!: DeadLetter[];
}
