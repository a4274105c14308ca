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
  @IsString()
  @Length(1, 100)
  sku!: string;

  @IsInt()
  @Min(1)
  @Max(10_000)
  quantity!: number;
}

export class PurchaseSoftwareDto {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => OrderLineDto)
  lines!: OrderLineDto[];

  @IsOptional()
  @IsString()
  @Length(1, 200)
  idempotencyKey?: string;
}

class SelectionDto {
  @IsInt()
  @Min(1)
  @Max(100)
  line!: number;

  @IsString()
  @Length(1, 50)
  version!: string;

  @IsString()
  @Length(1, 50)
  language!: string;

  @IsString()
  @Length(1, 50)
  fileType!: string;
}

export class RevealKeyDto extends SelectionDto {
  @IsOptional()
  @IsString()
  @Length(1, 20)
  keyType?: string;
}

export class IssueDownloadLinkDto extends SelectionDto {}

export class CancelOrderDto {
  @IsString()
  @Length(1, 1000)
  reason!: string;

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
