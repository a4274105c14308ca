import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { MAX_TEXT_LENGTH } from '@csp/domain';

// Shapes and sizes only: what a decision may say (an amount up to what the request asked and the
// order has left to credit) is the domain's rule (decideRefundDecision), refused naming the same fields.

export class ApproveRefundRequestDto {
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    description:
      'Minor units to credit: 1 to the amount requested (400 `invalid_amount` otherwise); default: the amount requested. ' +
      'For a request naming an order, at most what the order has left to credit — what its lines were paid minus every credit already issued for it ' +
      '(cancellations and earlier approved refunds): beyond it, or when nothing is left, 409 `credit_exceeds_order` with `details.remaining`. ' +
      'Without an amount, a request asking for more than the remainder is refused the same way: approve with an explicit amount of at most the remainder.',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  amount?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, MAX_TEXT_LENGTH)
  note?: string;
}

export class RejectRefundRequestDto {
  @ApiProperty()
  @IsString()
  @Length(1, MAX_TEXT_LENGTH)
  reason!: string;
}
