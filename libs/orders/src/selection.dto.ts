import { ApiProperty } from '@nestjs/swagger';
import { IsInt, IsString, Length, Max, Min } from 'class-validator';
import { MAX_LINES, MAX_SELECTION_TEXT_LENGTH } from '@csp/domain';

/** A line's version, language and file type: what a key or a download link is for. */
export class SelectionDto {
  @ApiProperty({ type: 'integer', minimum: 1, maximum: MAX_LINES, description: 'The order line, numbered from 1' })
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
