import { Body, Controller, Param } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiRefusals, ConflictFree, Ctx, type RequestContext, UuidParam, CommandRoute, QueryRoute } from '@csp/http';
import { ApproveRefundRequestDto, RejectRefundRequestDto } from './decide/refund-decision.dto';
import { DecideRefundRequestCommand } from './decide/decide-refund-request.handler';
import { DecidedRefundRequestResponse } from './decide/decide-refund-request.response';
import { GetRefundRequestQuery } from './get/get-refund-request.query';
import { RefundRequestResponse } from './get/get-refund-request.response';
import { SubmitRefundRequestDto } from './submit/submit-refund-request.dto';
import { SubmitRefundRequestCommand } from './submit/submit-refund-request.handler';
import { SubmittedRefundRequestResponse } from './submit/submit-refund-request.response';

@Controller('v1/refund-requests')
export class RefundRequestsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  // A new request is a new stream.
  @ConflictFree()
  @CommandRoute('', 'refundRequest.submit', "File a refund request (partner); a request naming an order is in that order's currency", 201, {
    type: SubmittedRefundRequestResponse,
    description: 'Submitted.',
  })
  @ApiRefusals({
    400: 'Invalid input, naming the field; `currency_mismatch` (field `currency`) for a request naming an order in another currency than the order was paid in.',
    404: 'No such order or customer of yours.',
  })
  submit(@Ctx() context: RequestContext, @Body() body: SubmitRefundRequestDto): Promise<SubmittedRefundRequestResponse> {
    // What a request needs (tenant id or domain, order or subscription, the amount…) is the domain's rule.
    const { amountRequested, amount, ...rest } = body;
    return this.commands.execute(new SubmitRefundRequestCommand(context, { ...rest, amount: amount ?? amountRequested }));
  }

  @QueryRoute(':refundRequestId', 'refundRequest.read', 'Get a refund request and its decision', {
    type: RefundRequestResponse,
    description: 'The request and, once decided, its decision',
  })
  get(@Ctx() context: RequestContext, @Param('refundRequestId', UuidParam) id: string): Promise<RefundRequestResponse> {
    return this.queries.execute(new GetRefundRequestQuery(context, id));
  }

  @CommandRoute(
    ':refundRequestId/approve',
    'refundRequest.decide',
    {
      summary: 'Approve a refund request into a credit (back office)',
      description:
        "For a request naming an order, the approval and its credit are appended to the order's stream in one commit, under its expected revision: " +
        "the order's credits (cancellations and approved refunds) never exceed what its lines were paid, also when approvals and cancellations race.",
    },
    200,
    { type: DecidedRefundRequestResponse, description: 'Approved; `credit` is the credit issued.' },
  )
  @ApiRefusals({
    400: '`invalid_amount`: not a whole number of minor units from 1 to the amount requested.',
    409:
      '`credit_exceeds_order`: the amount (explicit, or the amount requested) exceeds what the order has left to credit, or nothing is left; ' +
      '`details.remaining`, `details.paid` and `details.credited` say how much. `refund_request_decided`: already approved or rejected.',
  })
  approve(
    @Ctx() context: RequestContext,
    @Param('refundRequestId', UuidParam) id: string,
    @Body() body: ApproveRefundRequestDto,
  ): Promise<DecidedRefundRequestResponse> {
    return this.commands.execute(new DecideRefundRequestCommand(context, id, { approve: true, ...body }));
  }

  @CommandRoute(':refundRequestId/reject', 'refundRequest.decide', 'Reject a refund request (back office)', 200, {
    type: DecidedRefundRequestResponse,
    description: 'Rejected; no credit.',
  })
  @ApiRefusals({ 409: '`refund_request_decided`: already approved or rejected.' })
  reject(
    @Ctx() context: RequestContext,
    @Param('refundRequestId', UuidParam) id: string,
    @Body() body: RejectRefundRequestDto,
  ): Promise<DecidedRefundRequestResponse> {
    return this.commands.execute(new DecideRefundRequestCommand(context, id, { approve: false, reason: body.reason }));
  }
}
