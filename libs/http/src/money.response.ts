import { ApiProperty } from '@nestjs/swagger';

/** An amount as every answer writes one (the kernel's Money): integer minor units of a currency. Shared so that the document has one Money schema. */
export class Money {
  @ApiProperty({ type: 'integer', description: 'Integer minor units (cents) of `currency`', example: 107900 })
  amount!: number;

  @ApiProperty({ description: 'ISO 4217 code', example: 'USD' })
  currency!: string;
}
