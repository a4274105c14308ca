import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';
import { MAX_TEXT_LENGTH } from '@csp/domain';

// That the position is an event position is the handler's rule (ReplayWebhookHandler): the DTO checks its shape.

export class ReplayWebhookDto {
  @ApiProperty({ description: 'An event position (as commands answer it and events carry it)' })
  @IsString()
  @MaxLength(MAX_TEXT_LENGTH)
  fromPosition!: string;
}
