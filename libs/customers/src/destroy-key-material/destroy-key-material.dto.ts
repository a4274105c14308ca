import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import { MAX_TEXT_LENGTH } from '@csp/domain';

export class DestroyKeyMaterialDto {
  @ApiProperty()
  @IsString()
  @Length(1, MAX_TEXT_LENGTH)
  reason!: string;
}
