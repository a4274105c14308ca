import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBadRequestResponse, ApiCreatedResponse, ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsOptional, IsString, Length, Matches } from 'class-validator';
import { GetWebhookDeadLettersQuery, RegisterWebhookCommand, ReplayWebhookCommand } from '@csp/application';
import { Authorize, Ctx, type RequestContext } from '../http/auth';
import { UuidParam } from '../http/uuid-param.pipe';

export class RegisterWebhookDto {
  @ApiProperty({ description: 'http(s) URL of the receiver; never a loopback, private, link-local, unspecified, multicast or reserved address unless WEBHOOK_ALLOWED_HOSTS allows it' })
  @IsString()
  @Length(8, 1000)
  @Matches(/^https?:\/\//, { message: 'url must be an http(s) URL' })
  url!: string;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @Matches(/^[A-Za-z]{1,64}$/, { each: true, message: 'eventTypes are event type names' })
  eventTypes?: string[];
}

export class ReplayWebhookDto {
  @ApiProperty()
  @IsString()
  @Matches(/^-?\d{1,20}(\/-?\d{1,20})?$/, { message: 'fromPosition must be an event position' })
  fromPosition!: string;
}

/**
 * Signed webhooks for back-office services: every published event POSTed to the URL, in order and
 * at least once, with `X-CSP-Signature`; failures retried with back-off, then dead-lettered;
 * delivery can be replayed from any position.
 */
@Controller('v1/webhooks')
export class WebhooksController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post()
  @HttpCode(201)
  @Authorize('webhooks.manage')
  @ApiCreatedResponse({ description: 'Registered: `{ webhookId, url, eventTypes, secret, signature }`; the signing secret is shown this once' })
  @ApiBadRequestResponse({
    description:
      '`invalid_url`; or `webhook_url_not_allowed` (details.field `url`): the URL names, or its host resolves only to, a loopback, private, link-local, ' +
      'unspecified, multicast or reserved address (any spelling, IPv4-mapped and NAT64 forms included) that WEBHOOK_ALLOWED_HOSTS does not allow',
  })
  register(@Ctx() context: RequestContext, @Body() body: RegisterWebhookDto) {
    return this.commands.execute(new RegisterWebhookCommand(context, body.url, body.eventTypes));
  }

  @Get(':webhookId/dead-letters')
  @Authorize('webhooks.manage')
  deadLetters(@Param('webhookId', UuidParam) webhookId: string) {
    return this.queries.execute(new GetWebhookDeadLettersQuery(webhookId));
  }

  @Post(':webhookId/replay')
  @HttpCode(202)
  @Authorize('webhooks.manage')
  replay(@Ctx() context: RequestContext, @Param('webhookId', UuidParam) webhookId: string, @Body() body: ReplayWebhookDto) {
    return this.commands.execute(new ReplayWebhookCommand(context, webhookId, body.fromPosition));
  }
}
