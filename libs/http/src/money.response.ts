import { ApiProperty } from '@nestjs/swagger';
import { AmountProperty, CurrencyProperty } from './response-fields';

/** An amount as every answer writes one (the kernel's Money): integer minor units of a currency. Shared so that the document has one Money schema. */
export class Money {
  @AmountProperty()
  amount!: number;

  @CurrencyProperty()
  currency!: string;
}

/** Amounts of several currencies, one Money per currency: sums are never added across currencies. */
export const PerCurrencyProperty = (description: string): PropertyDecorator =>
  ApiProperty({ type: [Money], description, example: [{ amount: 215800, currency: 'USD' }] });
