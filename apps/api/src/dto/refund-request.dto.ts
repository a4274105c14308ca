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

  @ApiPropertyOptional()
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
  @ApiPropertyOptional()
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
