import { AmountProperty, CurrencyProperty } from './response-fields';

/** An amount as every answer writes one (the kernel's Money): integer minor units of a currency. Shared so that the document has one Money schema. */
export class Money {
  @AmountProperty()
  amount!: number;

  @CurrencyProperty()
  currency!: string;
}
