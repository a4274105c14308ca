import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';

export class OrderLineDto {
  @ApiProperty()
  @IsString()
  @Length(1, 100)
  sku!: string;

  @ApiProperty()
  @IsInt()
  @Min(1)
  @Max(10_000)
  quantity!: number;
}

export class PurchaseSoftwareDto {
  @ApiProperty({ type: [OrderLineDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => OrderLineDto)
  lines!: OrderLineDto[];

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 200)
  idempotencyKey?: string;
}

class SelectionDto {
  @ApiProperty()
  @IsInt()
  @Min(1)
  @Max(100)
  line!: number;

  @ApiProperty()
  @IsString()
  @Length(1, 50)
  version!: string;

  @ApiProperty()
  @IsString()
  @Length(1, 50)
  language!: string;

  @ApiProperty()
  @IsString()
  @Length(1, 50)
  fileType!: string;
}

export class RevealKeyDto extends SelectionDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 20)
  keyType?: string;
}

export class IssueDownloadLinkDto extends SelectionDto {}

export class CancelOrderDto {
  @ApiProperty()
  @IsString()
  @Length(1, 1000)
  reason!: string;

  @ApiPropertyOptional({ type: [Number] })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ArrayUnique()
  @IsInt({ each: true })
  @Min(1, { each: true })
  @Max(100, { each: true })
  lines?: number[];
}
