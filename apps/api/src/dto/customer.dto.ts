import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, Length, MaxLength } from 'class-validator';

export class RegisterCustomerDto {
  @ApiProperty()
  @IsString()
  @Length(1, 1000)
  name!: string;

  @ApiProperty()
  @IsString()
  @Length(1, 253)
  domain!: string;

  /** Which codes are markets is reference data: the domain decides (400 invalid_market), not a pattern here. */
  @ApiProperty({ description: 'An officially assigned ISO 3166-1 alpha-2 country code (case-insensitive); anything else is 400 invalid_market', example: 'FR' })
  @IsString()
  @MaxLength(1000)
  market!: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID('all', { message: 'tenantId must be a GUID' })
  @MaxLength(36)
  tenantId?: string;
}

export class DestroyKeyMaterialDto {
  @ApiProperty()
  @IsString()
  @Length(1, 1000)
  reason!: string;
}
