import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsEmail,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';

export class RefundContactDto {
  @ApiProperty()
  @IsString()
  @Length(1, 1000)
  name!: string;

  @ApiProperty()
  @IsEmail({}, { message: 'contact.email must be an e-mail address' })
  @Length(3, 320)
  email!: string;

  @ApiProperty()
  @IsString()
  @Matches(/^\+?[0-9 ().-]{4,40}$/, { message: 'contact.phone must be a telephone number' })
  phone!: string;
}

/**
 * SPEC: tenant id or domain, order id or subscription id, reason, amount requested, contact,
 * optional attachment names. `amountRequested` is accepted as another name for `amount`.
 */
export class SubmitRefundRequestDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID('all', { message: 'tenantId must be a GUID' })
  tenantId?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 253)
  domain?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID('all', { message: 'orderId must be a GUID' })
  orderId?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 200)
  subscriptionId?: string;

  @ApiProperty()
  @IsString()
  @Length(1, 1000)
  reason!: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  amount?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  amountRequested?: number;

  @ApiPropertyOptional({
    description:
      'ISO 4217 code of the amount. A request naming an order is in that order\'s currency: omit it (the order\'s is taken) or give the order\'s own; ' +
      'another is refused with 400 `currency_mismatch` (field `currency`), since a credit in another currency would refund what was never paid. ' +
      'Without an order: the currency given, USD by default.',
    example: 'USD',
  })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be an ISO 4217 code such as USD' })
  currency?: string;

  @ApiProperty({ type: RefundContactDto })
  @IsObject()
  @ValidateNested()
  @Type(() => RefundContactDto)
  contact!: RefundContactDto;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @Length(1, 255, { each: true })
  attachments?: string[];
}

export class ApproveRefundRequestDto {
  @ApiPropertyOptional({
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
  @Length(1, 1000)
  note?: string;
}

export class RejectRefundRequestDto {
  @ApiProperty()
  @IsString()
  @Length(1, 1000)
  reason!: string;
}
