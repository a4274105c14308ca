import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { MAX_LINES, MAX_TEXT_LENGTH } from '@csp/domain';

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
