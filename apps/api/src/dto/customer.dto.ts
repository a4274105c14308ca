import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, Length, Matches, MaxLength } from 'class-validator';

export class RegisterCustomerDto {
  @ApiProperty()
  @IsString()
  @Length(1, 1000)
  name!: string;

  @ApiProperty()
  @IsString()
  @Length(1, 253)
  domain!: string;

  @ApiProperty()
  @IsString()
  @Matches(/^[A-Za-z]{2}$/, { message: 'market must be an ISO 3166-1 alpha-2 country code' })
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
