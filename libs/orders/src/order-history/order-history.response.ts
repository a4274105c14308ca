import { ApiProperty, ApiPropertyOptional, PickType } from '@nestjs/swagger';
import { CustomerIdProperty, NextCursorProperty, PartnerTenantIdProperty } from '@csp/http';
import { OrderResponse } from '../get-order/get-order.response';

class OrderHistoryEventResponse {
  @ApiProperty({ description: 'The event type, e.g. `SoftwarePurchased`, `OrderCancelled`, `CreditIssued`', example: 'SoftwarePurchased' })
  type!: string;

  @ApiProperty({ format: 'date-time', description: 'When it happened', example: '2026-03-02T10:00:21.715Z' })
  at!: string;

  @ApiProperty({ description: 'Its position in the log', example: '2' })
  position!: string;
}

/** An order as the history lists it: the order's own fields, and what happened to it since. */
class OrderHistoryEntryResponse extends PickType(OrderResponse, ['orderId', 'customerId', 'customerTenantId', 'status', 'totals', 'purchasedAt'] as const) {
  @PartnerTenantIdProperty()
  partnerTenantId!: string;

  @ApiProperty({ type: 'integer', minimum: 1, example: 2 })
  linesCount!: number;

  @ApiProperty({ type: 'integer', isArray: true, description: 'In line order', example: [2] })
  cancelledLines!: number[];

  @ApiPropertyOptional({ format: 'date-time', description: 'The latest cancellation, if any', example: '2026-03-02T10:00:22.435Z' })
  cancelledAt?: string;

  @ApiProperty({ type: [OrderHistoryEventResponse], description: 'Every event of the order, its credits included, in order' })
  events!: OrderHistoryEventResponse[];
}

/** A page of a customer's orders, oldest purchase first, then by order id. */
export class OrderHistoryResponse {
  @CustomerIdProperty()
  customerId!: string;

  @ApiProperty({ type: [OrderHistoryEntryResponse], description: 'At most `limit` orders' })
  orders!: OrderHistoryEntryResponse[];

  @NextCursorProperty()
  nextCursor?: string;
}
