import { ApiProperty, ApiPropertyOptional, PickType } from '@nestjs/swagger';
import {
  AmountProperty,
  CurrencyProperty,
  CustomerIdProperty,
  CustomerTenantIdProperty,
  MarketProperty,
  Money,
  OrderIdProperty,
  ProductNameProperty,
  SoftwareFields,
  TaxInclusiveProperty,
} from '@csp/http';
import type { LineStatus, OrderStatus } from '../order-status.rules';

// The order as GET /v1/orders/{id} and the purchase answer it (orderView, order-stream.state.ts),
// field by field; GetOrderQuery's result type holds them together (Answer).

const LINE_STATUSES: LineStatus[] = ['active', 'cancelled'];
const ORDER_STATUSES: OrderStatus[] = ['active', 'partially-cancelled', 'cancelled'];

/** An amount of money: Money under the name the order's answers have always given it in the document. */
export class OrderAmountResponse extends Money {}

/** One line of an order: the SKU as bought, how many, for how much, and whether it is cancelled. */
export class OrderLineResponse extends PickType(SoftwareFields, ['line', 'sku', 'family', 'licenseType', 'cancellationClass'] as const) {
  @ProductNameProperty('Product name as the catalog showed it at purchase')
  name!: string;

  @ApiPropertyOptional({ type: 'integer', description: 'Subscriptions only: the term in months (12 or 36)', example: 12 })
  termMonths?: number;

  @ApiProperty({ type: 'integer', minimum: 1, description: 'Number of licences', example: 2 })
  quantity!: number;

  @AmountProperty('Unit price in integer minor units of `currency`')
  unitPrice!: number;

  @AmountProperty("The line's amount: unit price × quantity, in integer minor units of `currency`")
  amount!: number;

  @CurrencyProperty()
  currency!: string;

  @ApiProperty({ enum: LINE_STATUSES, example: 'active' })
  status!: LineStatus;

  @ApiPropertyOptional({ format: 'date-time', description: 'Cancelled lines only: when', example: '2026-03-02T10:00:22.435Z' })
  cancelledAt?: string;
}

class PerpetualTermsResponse {
  @ApiProperty({ type: 'integer', description: 'Hours after purchase during which a perpetual licence can be cancelled', example: 720 })
  windowHours!: number;

  @ApiProperty({ enum: ['full'], description: 'The line amount is credited' })
  credit!: 'full';
}

class SubscriptionTermsResponse {
  @ApiProperty({ type: 'integer', description: 'Hours after purchase during which a subscription can be cancelled', example: 168 })
  windowHours!: number;

  @ApiProperty({ enum: ['prorated'], description: 'The line amount × remaining days ÷ term days, rounded half up' })
  credit!: 'prorated';
}

/** The cancellation policy in force at the purchase instant, recorded with the order. */
class CancellationPolicyResponse {
  @ApiProperty({ description: 'Id of the entry in the policy table', example: 'csp-2023-06-30' })
  id!: string;

  @ApiProperty({ format: 'date-time', description: 'From when the entry governs new purchases (inclusive)', example: '2023-06-30T00:00:00.000Z' })
  effectiveFrom!: string;

  @ApiProperty({ type: PerpetualTermsResponse })
  perpetual!: PerpetualTermsResponse;

  @ApiProperty({ type: SubscriptionTermsResponse })
  subscription!: SubscriptionTermsResponse;

  @ApiPropertyOptional({
    description: 'The entry in words',
    example:
      'Purchases from 2023-06-30 (current rule): perpetual licences within 30 days, 100 % credit; software subscriptions within 7 days, prorated credit.',
  })
  description?: string;
}

/** An order as the API shows it. */
export class OrderResponse {
  @OrderIdProperty()
  orderId!: string;

  @CustomerIdProperty()
  customerId!: string;

  @CustomerTenantIdProperty()
  customerTenantId!: string;

  @ApiProperty({ enum: ORDER_STATUSES, example: 'active' })
  status!: OrderStatus;

  @MarketProperty("The customer's market at purchase (ISO 3166-1 alpha-2)")
  market!: string;

  @TaxInclusiveProperty()
  taxInclusive!: boolean;

  @ApiProperty({ format: 'date-time', description: 'Cancellation windows are measured from it', example: '2026-03-02T10:00:21.715Z' })
  purchasedAt!: string;

  @ApiProperty({ type: [OrderLineResponse] })
  lines!: OrderLineResponse[];

  @ApiProperty({ type: [OrderAmountResponse], description: 'What the lines cost, per currency, in currency-code order' })
  totals!: OrderAmountResponse[];

  @ApiPropertyOptional({
    type: [OrderAmountResponse],
    description: 'What cancellations and refund approvals may still credit, per currency (what was paid less what was credited)',
  })
  creditable?: OrderAmountResponse[];

  @ApiProperty({ type: CancellationPolicyResponse })
  cancellationPolicy!: CancellationPolicyResponse;

  @ApiPropertyOptional({ description: 'The idempotency key the order was bought with', example: 'po-1001' })
  idempotencyKey?: string;
}
