import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsInt, IsOptional, IsString, Length, Max, Min, ValidateNested } from 'class-validator';
import {
  MAX_IDEMPOTENCY_KEY_LENGTH,
  MAX_KEY_TYPE_LENGTH,
  MAX_LINES,
  MAX_QUANTITY,
  MAX_SELECTION_TEXT_LENGTH,
  MAX_SKU_LENGTH,
  MAX_TEXT_LENGTH,
} from '@csp/domain';

export class OrderLineDto {
  @ApiProperty()
  @IsString()
  @Length(1, MAX_SKU_LENGTH)
  sku!: string;

  @ApiProperty()
  @IsInt()
  @Min(1)
  @Max(MAX_QUANTITY)
  quantity!: number;
}

export class PurchaseSoftwareDto {
  @ApiProperty({ type: [OrderLineDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_LINES)
  @ValidateNested({ each: true })
  @Type(() => OrderLineDto)
  lines!: OrderLineDto[];

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, MAX_IDEMPOTENCY_KEY_LENGTH)
  idempotencyKey?: string;
}

class SelectionDto {
  @ApiProperty()
  @IsInt()
  @Min(1)
  @Max(MAX_LINES)
  line!: number;

  @ApiProperty()
  @IsString()
  @Length(1, MAX_SELECTION_TEXT_LENGTH)
  version!: string;

  @ApiProperty()
  @IsString()
  @Length(1, MAX_SELECTION_TEXT_LENGTH)
  language!: string;

  @ApiProperty()
  @IsString()
  @Length(1, MAX_SELECTION_TEXT_LENGTH)
  fileType!: string;
}

export class RevealKeyDto extends SelectionDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, MAX_KEY_TYPE_LENGTH)
  keyType?: string;
}

export class IssueDownloadLinkDto extends SelectionDto {}

export class CancelOrderDto {
  @ApiProperty()
  @IsString()
  @Length(1, MAX_TEXT_LENGTH)
  reason!: string;

  @ApiPropertyOptional({ type: [Number] })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_LINES)
  @ArrayUnique()
  @IsInt({ each: true })
  @Min(1, { each: true })
  @Max(MAX_LINES, { each: true })
  lines?: number[];
}
