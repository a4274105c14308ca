import { ApiProperty } from '@nestjs/swagger';
import { WebhookIdProperty } from '@csp/http';

/** POST /v1/webhooks: the registration, with the signing secret shown this once. */
export class RegisteredWebhookResponse {
  @WebhookIdProperty()
  webhookId!: string;

  @ApiProperty({ description: 'The receiver URL, as the service will call it (normalised)', example: 'https://billing.example.com/csp-events' })
  url!: string;

  @ApiProperty({ type: [String], description: 'The event types delivered; empty: every published event', example: ['SoftwarePurchased', 'OrderCancelled'] })
  eventTypes!: string[];

  @ApiProperty({
    description: 'The signing secret (64 hex digits): shown here only, never again',
    example: '3f1c2b7a9d8e4f60a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718',
  })
  secret!: string;

  @ApiProperty({
    description: 'How deliveries are signed',
    example: 'X-CSP-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>',
  })
  signature!: string;
}
