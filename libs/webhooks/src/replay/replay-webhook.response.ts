import { ApiProperty } from '@nestjs/swagger';
import { WebhookIdProperty } from '@csp/http';

/** POST /v1/webhooks/{webhookId}/replay: the replay asked for; delivery starts again after that position. */
export class WebhookReplayResponse {
  @WebhookIdProperty()
  webhookId!: string;

  @ApiProperty({ description: 'The position delivery starts again after, as the store spells it', example: '56' })
  fromPosition!: string;
}
