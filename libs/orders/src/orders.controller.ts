import { Body, Controller, Headers, Inject, Param, Req, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiHeader } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { APP_CONFIG } from '@csp/application';
import type { AppConfig } from '@csp/config';
import { MAX_IDEMPOTENCY_KEY_LENGTH } from '@csp/domain';
import { ApiRefusals, badRequest, Ctx, type RequestContext, UuidParam, CommandRoute, QueryRoute } from '@csp/http';
import { CancelOrderDto } from './cancel/cancel-order.dto';
import { CancelOrderCommand } from './cancel/cancel-order.handler';
import { OrderCancellationResponse } from './cancel/cancel-order.response';
import { IssueDownloadLinkDto } from './download-links/issue-download-link.dto';
import { IssueDownloadLinkCommand } from './download-links/issue-download-link.handler';
import { IssuedDownloadLinkResponse } from './download-links/issue-download-link.response';
import { CancellationEligibilityResponse } from './eligibility/cancellation-eligibility.response';
import { GetCancellationEligibilityQuery } from './eligibility/get-cancellation-eligibility.query';
import { GetOrderQuery } from './get-order/get-order.query';
import { OrderResponse } from './get-order/get-order.response';
import { PurchaseSoftwareDto } from './purchase/purchase-software.dto';
import { PurchaseSoftwareCommand } from './purchase/purchase-software.handler';
import { PurchaseResponse } from './purchase/purchase-software.response';
import { RevealKeyDto } from './reveal-key/reveal-key.dto';
import { RevealKeyCommand } from './reveal-key/reveal-key.handler';
import { RevealedKeyResponse } from './reveal-key/reveal-key.response';

/** What refuses a product selection (a key reveal, a download link): the decider's codes, naming the field. */
const SELECTION_REFUSED = '`unknown_line`, `version_not_entitled` (beyond the downgrade rights), `language_not_available`, `file_type_not_available`';
/** The abuse limit on key reveals and link issues (KeyAccessThrottle), per caller and per tenant. */
const THROTTLED = '`rate_limited`: too many key reveals and link issues by this caller or tenant in the window (`details.scope`)';

@Controller('v1')
export class OrdersController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @CommandRoute('customers/:customerId/orders', 'order.purchase', 'Purchase software for a customer', 201, {
    type: PurchaseResponse,
    description: 'The order; a retry with the same idempotency key and body answers the first order again',
    headers: {
      'Idempotent-Replayed': { description: 'Sent, `true`, when this answers a retry with the first order', schema: { type: 'string', enum: ['true'] } },
    },
  })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'Retry-safe purchase, as the `idempotencyKey` field (they must agree when both are given)',
    schema: { type: 'string', minLength: 1, maxLength: MAX_IDEMPOTENCY_KEY_LENGTH },
  })
  @ApiRefusals({
    400: "`unknown_sku`, `market_not_available` (the SKU is not sold in the customer's market), `invalid_lines`, `invalid_quantity`; the Idempotency-Key header and the field differ",
    409: '`idempotency_key_reused`: the key was used for a different purchase; `concurrent_change`',
  })
  async purchase(
    @Ctx() context: RequestContext,
    @Param('customerId', UuidParam) customerId: string,
    @Body() body: PurchaseSoftwareDto,
    @Headers('idempotency-key') headerKey: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<PurchaseResponse> {
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

  @QueryRoute('orders/:orderId', 'order.read', 'Get an order', {
    type: OrderResponse,
    description:
      'The order, from its own stream (always current): its lines, totals, what it may still credit, and the cancellation policy it was bought under',
  })
  order(@Ctx() context: RequestContext, @Param('orderId', UuidParam) orderId: string): Promise<OrderResponse> {
    return this.queries.execute(new GetOrderQuery(context, orderId));
  }

  @CommandRoute('orders/:orderId/keys', 'order.revealKey', 'Reveal the MAK key of an order line for a version, language and file type', 200, {
    type: RevealedKeyResponse,
    description: 'The MAK key of the selection: the same key for the same selection, every reveal audited',
  })
  @ApiRefusals({
    400: `${SELECTION_REFUSED}, \`kms_not_available\`, \`invalid_key_type\``,
    409: '`line_cancelled`',
    410: "`key_material_destroyed`: the customer's key material was destroyed; its keys can never be revealed again",
    429: THROTTLED,
  })
  revealKey(@Ctx() context: RequestContext, @Param('orderId', UuidParam) orderId: string, @Body() body: RevealKeyDto): Promise<RevealedKeyResponse> {
    const { keyType, ...selection } = body;
    return this.commands.execute(new RevealKeyCommand(context, orderId, selection, keyType));
  }

  @CommandRoute('orders/:orderId/download-links', 'order.issueDownloadLink', 'Issue a download link for an order line, version, language and file type', 201, {
    type: IssuedDownloadLinkResponse,
    description: 'A fresh link for the selection: 14 days or 50 downloads, whichever comes first',
  })
  @ApiRefusals({ 400: SELECTION_REFUSED, 409: '`line_cancelled`', 429: THROTTLED })
  issueDownloadLink(
    @Ctx() context: RequestContext,
    @Param('orderId', UuidParam) orderId: string,
    @Body() body: IssueDownloadLinkDto,
    @Req() request: Request,
  ): Promise<IssuedDownloadLinkResponse> {
    const selection = { line: body.line, version: body.version, language: body.language, fileType: body.fileType };
    const baseUrl = this.config.publicBaseUrl ?? `${request.protocol}://${request.get('host') ?? `localhost:${this.config.port}`}`;
    return this.commands.execute(new IssueDownloadLinkCommand(context, orderId, selection, baseUrl));
  }

  @QueryRoute(
    'orders/:orderId/cancellation-eligibility',
    'order.cancellationEligibility',
    'Tell whether an order can be cancelled now, and for how many days',
    {
      type: CancellationEligibilityResponse,
      description: 'Whether the order can be cancelled now, for how many days, and if not why; line by line',
    },
  )
  eligibility(@Ctx() context: RequestContext, @Param('orderId', UuidParam) orderId: string): Promise<CancellationEligibilityResponse> {
    return this.queries.execute(new GetCancellationEligibilityQuery(context, orderId));
  }

  @CommandRoute('orders/:orderId/cancel', 'order.cancel', 'Cancel an order, whole or by lines, and credit it', 200, {
    type: OrderCancellationResponse,
    description: "Cancelled: the credits, on next month's invoice, and the keys and links revoked",
  })
  @ApiRefusals({
    400: '`unknown_line`',
    409: '`order_cancelled`, `line_cancelled`, `cancellation_window_closed`, `not_cancellable` (the product class), `refund_request_required`; `concurrent_change`',
  })
  cancel(@Ctx() context: RequestContext, @Param('orderId', UuidParam) orderId: string, @Body() body: CancelOrderDto): Promise<OrderCancellationResponse> {
    return this.commands.execute(new CancelOrderCommand(context, orderId, body.reason, body.lines));
  }
}
