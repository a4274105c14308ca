import { ApiProperty } from '@nestjs/swagger';

/** POST /v1/webhooks/{webhookId}/replay: the replay asked for; delivery starts again after that position. */
export class WebhookReplayResponse {
  @ApiProperty({ format: 'uuid', example: '3d6f0a9e-2b4c-4e8a-9f1d-7c5b3a2e1f04' })
  webhookId!: string;

  @ApiProperty({ description: 'The position delivery starts again after, as the store spells it', example: '56' })
  fromPosition!: string;
}
