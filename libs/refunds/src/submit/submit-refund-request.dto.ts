import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsObject, IsOptional, IsString, Length, Max, MaxLength, Min, ValidateBy, ValidateNested, type ValidationArguments } from 'class-validator';
import { MAX_ATTACHMENT_NAME_LENGTH, MAX_ATTACHMENTS, MAX_DOMAIN_LENGTH, MAX_SUBSCRIPTION_ID_LENGTH, MAX_TEXT_LENGTH } from '@csp/domain';
import { OptionalTextList, IsId } from '@csp/http';

// Shapes and sizes only: what a refund request needs (tenant id or domain, order id or subscription
// id, a positive amount, a real e-mail address and telephone number, a currency the order was paid
// in) is the domain's rule (checkRefundSubmission and decideRefundRequest), refused naming the same fields.

export class RefundContactDto {
  @ApiProperty()
  @IsString()
  @Length(1, MAX_TEXT_LENGTH)
  name!: string;

  @ApiProperty({ description: 'An e-mail address' })
  @IsString()
  @MaxLength(MAX_TEXT_LENGTH)
  email!: string;

  @ApiProperty({ description: 'A telephone number: digits, spaces, ( ) . - and an optional leading +' })
  @IsString()
  @MaxLength(MAX_TEXT_LENGTH)
  phone!: string;
}

/** `amountRequested` is another name for `amount`: the two may both be sent only with one value. */
const SameAsAmountRequested = () =>
  ValidateBy({
    name: 'sameAsAmountRequested',
    validator: {
      validate: (value: unknown, args?: ValidationArguments) => {
        const alias = (args?.object as { amountRequested?: unknown } | undefined)?.amountRequested;
        return value === undefined || alias === undefined || alias === value;
      },
      defaultMessage: () => 'amount and amountRequested differ; send one of them',
    },
  });

/**
 * SPEC: tenant id or domain, order id or subscription id, reason, amount requested, contact,
 * optional attachment names. `amountRequested` is accepted as another name for `amount`.
 */
export class SubmitRefundRequestDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsId({ message: 'tenantId must be a GUID' })
  tenantId?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, MAX_DOMAIN_LENGTH)
  domain?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsId({ message: 'orderId must be a GUID' })
  orderId?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, MAX_SUBSCRIPTION_ID_LENGTH)
  subscriptionId?: string;

  @ApiProperty()
  @IsString()
  @Length(1, MAX_TEXT_LENGTH)
  reason!: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, description: 'The amount requested, in minor units (required, here or as amountRequested)' })
  @SameAsAmountRequested()
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  amount?: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, description: 'Another name for amount' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  amountRequested?: number;

  @ApiPropertyOptional({
    description:
      "ISO 4217 code of the amount. A request naming an order is in that order's currency: omit it (the order's is taken) or give the order's own; " +
      'another is refused with 400 `currency_mismatch` (field `currency`), since a credit in another currency would refund what was never paid. ' +
      'Without an order: the currency given, USD by default.',
    example: 'USD',
  })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_TEXT_LENGTH)
  currency?: string;

  @ApiProperty({ type: RefundContactDto })
  @IsObject()
  @ValidateNested()
  @Type(() => RefundContactDto)
  contact!: RefundContactDto;

  @OptionalTextList(MAX_ATTACHMENTS)
  @Length(1, MAX_ATTACHMENT_NAME_LENGTH, { each: true })
  attachments?: string[];
}
