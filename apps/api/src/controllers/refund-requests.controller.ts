import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { DecideRefundRequestCommand, GetRefundRequestQuery, SubmitRefundRequestCommand } from '@csp/application';
import { ApproveRefundRequestDto, RejectRefundRequestDto, SubmitRefundRequestDto } from '../dto/refund-request.dto';
import { badRequest } from '../http/api-error';
import { Authorize, Ctx, type RequestContext } from '../http/auth';
import { UuidParam } from '../http/uuid-param.pipe';

@Controller('v1/refund-requests')
export class RefundRequestsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post()
  @HttpCode(201)
  @Authorize('refundRequest.submit')
  submit(@Ctx() context: RequestContext, @Body() body: SubmitRefundRequestDto) {
    const { amountRequested, amount, ...rest } = body;
    if (amount !== undefined && amountRequested !== undefined && amount !== amountRequested) {
      throw badRequest('amount', 'amount and amountRequested differ; send one of them');
    }
    const requested = amount ?? amountRequested;
    if (requested === undefined) throw badRequest('amount', 'amount (the amount requested, in minor units) is required');
    if (body.tenantId === undefined && body.domain === undefined) throw badRequest('tenantId', 'tenantId or domain is required');
    if (body.orderId === undefined && body.subscriptionId === undefined) throw badRequest('orderId', 'orderId or subscriptionId is required');
    return this.commands.execute(new SubmitRefundRequestCommand(context, { ...rest, amount: requested }));
  }

  @Get(':refundRequestId')
  @Authorize('refundRequest.read')
  get(@Ctx() context: RequestContext, @Param('refundRequestId', UuidParam) id: string) {
    return this.queries.execute(new GetRefundRequestQuery(context, id));
  }

  @Post(':refundRequestId/approve')
  @HttpCode(200)
  @Authorize('refundRequest.decide')
  approve(@Ctx() context: RequestContext, @Param('refundRequestId', UuidParam) id: string, @Body() body: ApproveRefundRequestDto) {
    return this.commands.execute(new DecideRefundRequestCommand(context, id, { approve: true, ...body }));
  }

  @Post(':refundRequestId/reject')
  @HttpCode(200)
  @Authorize('refundRequest.decide')
  reject(@Ctx() context: RequestContext, @Param('refundRequestId', UuidParam) id: string, @Body() body: RejectRefundRequestDto) {
    return this.commands.execute(new DecideRefundRequestCommand(context, id, { approve: false, reason: body.reason }));
  }
}
