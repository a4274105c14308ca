import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length } from 'class-validator';
import { MAX_KEY_TYPE_LENGTH } from '@csp/domain';

import { SelectionDto } from '../selection.dto';

export class RevealKeyDto extends SelectionDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, MAX_KEY_TYPE_LENGTH)
  keyType?: string;
}
