import { ApiProperty } from '@nestjs/swagger';

/** Which software a key or link is for, as the answers repeat it (Selection, order.events.ts). */
export class SelectionResponse {
  @ApiProperty({ type: 'integer', minimum: 1, description: 'Order line, numbered from 1', example: 1 })
  line!: number;

  @ApiProperty({ description: 'The version bought or, within the downgrade rights, one or two versions older', example: '2025' })
  version!: string;

  @ApiProperty({ description: 'Language code', example: 'en-us' })
  language!: string;

  @ApiProperty({ description: 'File type / bitness', example: 'x64' })
  fileType!: string;
}
