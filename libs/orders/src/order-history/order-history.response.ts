import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { OrderAmountResponse } from '../get-order/get-order.response';
import type { OrderStatus } from '../order-status.rules';

class OrderHistoryEventResponse {
  @ApiProperty({ description: 'The event type, e.g. `SoftwarePurchased`, `OrderCancelled`, `CreditIssued`', example: 'SoftwarePurchased' })
  type!: string;

  @ApiProperty({ format: 'date-time', description: 'When it happened', example: '2026-03-02T10:00:21.715Z' })
  at!: string;

  @ApiProperty({ description: 'Its position in the log', example: '2' })
  position!: string;
}

class OrderHistoryEntryResponse {
  @ApiProperty({ format: 'uuid', example: 'af3daed3-8944-5a02-b9b2-c7fe145e8414' })
  orderId!: string;

  @ApiProperty({ format: 'uuid', example: '41ddd452-014d-4781-83b7-2474676fe5c3' })
  customerId!: string;

  @ApiProperty({ format: 'uuid', example: 'aaaaaaaa-0000-4000-8000-000000000001' })
  partnerTenantId!: string;

  @ApiProperty({ format: 'uuid', example: '5cd83479-4605-4844-a86e-2bc6f93f5231' })
  customerTenantId!: string;

  @ApiProperty({ enum: ['active', 'partially-cancelled', 'cancelled'], example: 'partially-cancelled' })
  status!: OrderStatus;

  @ApiProperty({ type: 'integer', minimum: 1, example: 2 })
  linesCount!: number;

  @ApiProperty({ type: 'integer', isArray: true, description: 'In line order', example: [2] })
  cancelledLines!: number[];

  @ApiProperty({ type: [OrderAmountResponse], description: 'Per currency, in currency-code order' })
  totals!: OrderAmountResponse[];

  @ApiProperty({ format: 'date-time', example: '2026-03-02T10:00:21.715Z' })
  purchasedAt!: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'The latest cancellation, if any', example: '2026-03-02T10:00:22.435Z' })
  cancelledAt?: string;

  @ApiProperty({ type: [OrderHistoryEventResponse], description: 'Every event of the order, its credits included, in order' })
  events!: OrderHistoryEventResponse[];
}

/** A customer's orders, oldest purchase first. */
export class OrderHistoryResponse {
  @ApiProperty({ format: 'uuid', example: '41ddd452-014d-4781-83b7-2474676fe5c3' })
  customerId!: string;

  @ApiProperty({ type: [OrderHistoryEntryResponse] })
  orders!: OrderHistoryEntryResponse[];
}
