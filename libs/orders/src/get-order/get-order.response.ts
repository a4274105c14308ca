import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { CancellationClass, LicenseType } from '@csp/domain';
import type { LineStatus, OrderStatus } from '../order-status.rules';

// The order as GET /v1/orders/{id} and the purchase answer it (orderView, order-stream.state.ts),
// field by field; GetOrderQuery's result type holds them together (Answer).

const LICENSE_TYPES: LicenseType[] = ['perpetual', 'subscription'];
const CANCELLATION_CLASSES: CancellationClass[] = ['standard', 'support-request', 'non-cancellable'];
const LINE_STATUSES: LineStatus[] = ['active', 'cancelled'];
const ORDER_STATUSES: OrderStatus[] = ['active', 'partially-cancelled', 'cancelled'];

/** An amount of money: integer minor units of a currency. */
export class OrderAmountResponse {
  @ApiProperty({ type: 'integer', description: 'Integer minor units of `currency` (cents)', example: 363700 })
  amount!: number;

  @ApiProperty({ description: 'ISO 4217 code', example: 'USD' })
  currency!: string;
}

class OrderLineResponse {
  @ApiProperty({ type: 'integer', minimum: 1, description: 'Numbered from 1 in request order', example: 1 })
  line!: number;

  @ApiProperty({ description: 'Catalog SKU id', example: 'WS2025-STD' })
  sku!: string;

  @ApiProperty({ description: 'Product name as the catalog showed it at purchase', example: 'Windows Server 2025 Standard (16 cores)' })
  name!: string;

  @ApiProperty({ description: 'Product family', example: 'Windows Server' })
  family!: string;

  @ApiProperty({ enum: LICENSE_TYPES, example: 'perpetual' })
  licenseType!: LicenseType;

  @ApiPropertyOptional({ type: 'integer', description: 'Subscriptions only: the term in months (12 or 36)', example: 12 })
  termMonths?: number;

  @ApiProperty({ type: 'integer', minimum: 1, description: 'Number of licences', example: 2 })
  quantity!: number;

  @ApiProperty({ type: 'integer', description: 'Unit price in integer minor units of `currency`', example: 107900 })
  unitPrice!: number;

  @ApiProperty({ type: 'integer', description: '`unitPrice` × `quantity`, in integer minor units of `currency`', example: 215800 })
  amount!: number;

  @ApiProperty({ description: 'ISO 4217 code', example: 'USD' })
  currency!: string;

  @ApiProperty({
    enum: CANCELLATION_CLASSES,
    description: '`standard`: cancellable inside the policy window; `support-request`: only by refund request; `non-cancellable`',
    example: 'standard',
  })
  cancellationClass!: CancellationClass;

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
  @ApiProperty({ format: 'uuid', example: 'af3daed3-8944-5a02-b9b2-c7fe145e8414' })
  orderId!: string;

  @ApiProperty({ format: 'uuid', example: '41ddd452-014d-4781-83b7-2474676fe5c3' })
  customerId!: string;

  @ApiProperty({ format: 'uuid', description: "The customer's tenant id", example: '5cd83479-4605-4844-a86e-2bc6f93f5231' })
  customerTenantId!: string;

  @ApiProperty({ enum: ORDER_STATUSES, example: 'active' })
  status!: OrderStatus;

  @ApiProperty({ description: "The customer's market at purchase (ISO 3166-1 alpha-2)", example: 'FR' })
  market!: string;

  @ApiProperty({ description: 'Whether the amounts include taxes (AU, BR)', example: false })
  taxInclusive!: boolean;

  @ApiProperty({ format: 'date-time', description: 'Cancellation windows are measured from it', example: '2026-03-02T10:00:21.715Z' })
  purchasedAt!: string;

  @ApiProperty({ type: [OrderLineResponse] })
  lines!: OrderLineResponse[];

  @ApiProperty({ type: [OrderAmountResponse], description: 'What the lines cost, per currency' })
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
