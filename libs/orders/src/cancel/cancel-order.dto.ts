import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { MAX_LINES, MAX_TEXT_LENGTH } from '@csp/domain';

export class CancelOrderDto {
  @ApiProperty()
  @IsString()
  @Length(1, MAX_TEXT_LENGTH)
  reason!: string;

  @ApiPropertyOptional({
    type: 'array',
    items: { type: 'integer', minimum: 1, maximum: MAX_LINES },
    minItems: 1,
    maxItems: MAX_LINES,
    uniqueItems: true,
    description: 'The lines to cancel; default: every line not yet cancelled',
  })
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
