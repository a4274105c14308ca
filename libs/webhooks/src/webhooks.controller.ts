import { Body, Controller, Param } from '@nestjs/common';
import { CommandBus, QueryBus, type CommandResult, type QueryResult } from '@nestjs/cqrs';
import { ApiRefusals, ConflictFree, Ctx, type Documented, type RequestContext, UuidParam, CommandRoute, QueryRoute } from '@csp/http';
import { GetWebhookDeadLettersQuery } from './dead-letters/webhook-dead-letters.query';
import { WebhookDeadLettersResponse } from './dead-letters/webhook-dead-letters.response';
import { RegisterWebhookDto } from './register/register-webhook.dto';
import { RegisterWebhookCommand } from './register/register-webhook.handler';
import { RegisteredWebhookResponse } from './register/register-webhook.response';
import { ReplayWebhookDto } from './replay/replay-webhook.dto';
import { ReplayWebhookCommand } from './replay/replay-webhook.handler';
import { WebhookReplayResponse } from './replay/replay-webhook.response';

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

  // A new webhook is a new stream.
  @ConflictFree()
  @CommandRoute('', 'webhooks.manage', 'Register a signed webhook for the published events', 201, {
    type: RegisteredWebhookResponse,
    description: 'Registered: the signing secret is shown this once',
  })
  @ApiRefusals({
    400:
      '`invalid_url`; or `webhook_url_not_allowed` (details.field `url`): the URL names, or its host resolves only to, a loopback, private, link-local, ' +
      'unspecified, multicast or reserved address (any spelling, IPv4-mapped and NAT64 forms included) that WEBHOOK_ALLOWED_HOSTS does not allow',
  })
  register(
    @Ctx() context: RequestContext,
    @Body() body: RegisterWebhookDto,
  ): Promise<Documented<CommandResult<RegisterWebhookCommand>, RegisteredWebhookResponse>> {
    return this.commands.execute(new RegisterWebhookCommand(context, body.url, body.eventTypes));
  }

  @QueryRoute(':webhookId/dead-letters', 'webhooks.manage', "List a webhook's dead-lettered events", {
    type: WebhookDeadLettersResponse,
    description: 'The events every attempt failed to deliver, oldest first',
  })
  deadLetters(@Param('webhookId', UuidParam) webhookId: string): Promise<Documented<QueryResult<GetWebhookDeadLettersQuery>, WebhookDeadLettersResponse>> {
    return this.queries.execute(new GetWebhookDeadLettersQuery(webhookId));
  }

  // A replay request is appended to a stream that exists, whatever its revision.
  @ConflictFree()
  @CommandRoute(':webhookId/replay', 'webhooks.manage', "Replay a webhook's deliveries after an event position", 202, {
    type: WebhookReplayResponse,
    description: 'Replay requested: delivery starts again after `fromPosition`',
  })
  replay(
    @Ctx() context: RequestContext,
    @Param('webhookId', UuidParam) webhookId: string,
    @Body() body: ReplayWebhookDto,
  ): Promise<Documented<CommandResult<ReplayWebhookCommand>, WebhookReplayResponse>> {
    return this.commands.execute(new ReplayWebhookCommand(context, webhookId, body.fromPosition));
  }
}
