import { OptionalTextList } from '@csp/http';
import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length, Matches } from 'class-validator';
import { MAX_TEXT_LENGTH } from '@csp/domain';
import { EVENT_TYPE_NAME } from '../webhook.rules';

/** How many event types a webhook may filter on. */
const MAX_WEBHOOK_EVENT_TYPES = 50;

// The URL (absolute http(s), a destination that may be delivered to) is the handler's rule
// (RegisterWebhookHandler): the DTO checks its shape.

export class RegisterWebhookDto {
  @ApiProperty({
    description:
      'http(s) URL of the receiver; never a loopback, private, link-local, unspecified, multicast or reserved address unless WEBHOOK_ALLOWED_HOSTS allows it',
  })
  @IsString()
  @Length(1, MAX_TEXT_LENGTH)
  url!: string;

  @OptionalTextList(MAX_WEBHOOK_EVENT_TYPES)
  @Matches(EVENT_TYPE_NAME, { each: true, message: 'eventTypes are event type names' })
  eventTypes?: string[];
}
