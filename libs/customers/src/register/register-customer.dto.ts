import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length, MaxLength } from 'class-validator';
import { MAX_DOMAIN_LENGTH, MAX_TEXT_LENGTH } from '@csp/domain';
import { IsId } from '@csp/http';

export class RegisterCustomerDto {
  @ApiProperty()
  @IsString()
  @Length(1, MAX_TEXT_LENGTH)
  name!: string;

  @ApiProperty()
  @IsString()
  @Length(1, MAX_DOMAIN_LENGTH)
  domain!: string;

  /** Which codes are markets is reference data: the domain decides (400 invalid_market), not a pattern here. */
  @ApiProperty({ description: 'An officially assigned ISO 3166-1 alpha-2 country code (case-insensitive); anything else is 400 invalid_market', example: 'FR' })
  @IsString()
  @MaxLength(MAX_TEXT_LENGTH)
  market!: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsId({ message: 'tenantId must be a GUID' })
  tenantId?: string;
}
