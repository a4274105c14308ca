import { Body, Controller, Get, Headers, HttpCode, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import type { Request, Response } from 'express';
import { APP_CONFIG } from '@csp/application';
import type { AppConfig } from '@csp/config';
import { MAX_IDEMPOTENCY_KEY_LENGTH } from '@csp/domain';
import { Authorize, badRequest, Ctx, type RequestContext, UuidParam } from '@csp/http';
import { CancelOrderDto } from './cancel/cancel-order.dto';
import { CancelOrderCommand } from './cancel/cancel-order.handler';
import { IssueDownloadLinkDto } from './download-links/issue-download-link.dto';
import { IssueDownloadLinkCommand } from './download-links/issue-download-link.handler';
import { GetCancellationEligibilityQuery } from './eligibility/get-cancellation-eligibility.query';
import { GetOrderQuery } from './get-order/get-order.query';
import { PurchaseSoftwareDto } from './purchase/purchase-software.dto';
import { PurchaseSoftwareCommand } from './purchase/purchase-software.handler';
import { RevealKeyDto } from './reveal-key/reveal-key.dto';
import { RevealKeyCommand } from './reveal-key/reveal-key.handler';

@Controller('v1')
export class OrdersController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post('customers/:customerId/orders')
  @Authorize('order.purchase')
  async purchase(
    @Ctx() context: RequestContext,
    @Param('customerId', UuidParam) customerId: string,
    @Body() body: PurchaseSoftwareDto,
    @Headers('idempotency-key') headerKey: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    if (headerKey !== undefined && (headerKey.length === 0 || headerKey.length > MAX_IDEMPOTENCY_KEY_LENGTH)) {
      throw badRequest('Idempotency-Key', `The Idempotency-Key header must be 1-${MAX_IDEMPOTENCY_KEY_LENGTH} characters`);
    }
    if (headerKey !== undefined && body.idempotencyKey !== undefined && headerKey !== body.idempotencyKey) {
      throw badRequest('idempotencyKey', 'The Idempotency-Key header and the idempotencyKey field differ');
    }
    const result = await this.commands.execute(new PurchaseSoftwareCommand(context, customerId, body.lines, body.idempotencyKey ?? headerKey));
    // A retry answers with the first order, as the first time (SPEC: "answers with the first one").
    response.status(201);
    if (!result.created) response.setHeader('Idempotent-Replayed', 'true');
    return result.order;
  }

  @Get('orders/:orderId')
  @Authorize('order.read')
  order(@Ctx() context: RequestContext, @Param('orderId', UuidParam) orderId: string) {
    return this.queries.execute(new GetOrderQuery(context, orderId));
  }

  @Post('orders/:orderId/keys')
  @HttpCode(200)
  @Authorize('order.revealKey')
  revealKey(@Ctx() context: RequestContext, @Param('orderId', UuidParam) orderId: string, @Body() body: RevealKeyDto) {
    const { keyType, ...selection } = body;
    return this.commands.execute(new RevealKeyCommand(context, orderId, selection, keyType));
  }

  @Post('orders/:orderId/download-links')
  @HttpCode(201)
  @Authorize('order.issueDownloadLink')
  issueDownloadLink(@Ctx() context: RequestContext, @Param('orderId', UuidParam) orderId: string, @Body() body: IssueDownloadLinkDto, @Req() request: Request) {
    const selection = { line: body.line, version: body.version, language: body.language, fileType: body.fileType };
    const baseUrl = this.config.publicBaseUrl ?? `${request.protocol}://${request.get('host') ?? `localhost:${this.config.port}`}`;
    return this.commands.execute(new IssueDownloadLinkCommand(context, orderId, selection, baseUrl));
  }

  @Get('orders/:orderId/cancellation-eligibility')
  @Authorize('order.cancellationEligibility')
  eligibility(@Ctx() context: RequestContext, @Param('orderId', UuidParam) orderId: string) {
    return this.queries.execute(new GetCancellationEligibilityQuery(context, orderId));
  }

  @Post('orders/:orderId/cancel')
  @HttpCode(200)
  @Authorize('order.cancel')
  cancel(@Ctx() context: RequestContext, @Param('orderId', UuidParam) orderId: string, @Body() body: CancelOrderDto) {
    return this.commands.execute(new CancelOrderCommand(context, orderId, body.reason, body.lines));
  }
}
