import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CountProperty, LineProperty, OrderIdProperty } from '@csp/http';

/** Why a line or an order cannot be cancelled now (the CancelOrder refusal it would meet, cancellability.rules.ts). */
const REASON_CODES = ['line_cancelled', 'refund_request_required', 'not_cancellable', 'cancellation_window_closed'];

/** Whether a line may be cancelled now, for how long, and if not why (lineCancellation, cancellability.rules.ts). */
export class LineCancellationResponse {
  @ApiProperty({ example: true })
  eligible!: boolean;

  @CountProperty('Whole days left in the window, rounded up; 0 once it has closed or when not eligible', 30)
  daysRemaining!: number;

  @ApiPropertyOptional({
    format: 'date-time',
    description: 'When the window closes: only for a `standard` line, the only class with a window',
    example: '2026-04-01T10:00:21.715Z',
  })
  deadline?: string;

  @ApiPropertyOptional({ description: 'Not eligible only: why, for people', example: 'Line 2 is already cancelled' })
  reason?: string;

  @ApiPropertyOptional({ enum: REASON_CODES, description: 'Not eligible only: the code the cancellation would be refused with', example: 'line_cancelled' })
  reasonCode?: string;
}

class LineEligibilityResponse extends LineCancellationResponse {
  @LineProperty()
  line!: number;
}

/** Whether the order can still be cancelled, for how long, and if not why; line by line. */
export class CancellationEligibilityResponse {
  @OrderIdProperty()
  orderId!: string;

  @ApiProperty({ description: 'Whether cancelling the whole order (every active line) would succeed now', example: true })
  eligible!: boolean;

  @CountProperty("Whole days left, rounded up, before the first active line's window closes; 0 when not eligible", 7)
  daysRemaining!: number;

  @ApiPropertyOptional({ description: 'Not eligible only: why, for people', example: 'The order is cancelled' })
  reason?: string;

  @ApiPropertyOptional({
    enum: ['order_cancelled', ...REASON_CODES],
    description: 'Not eligible only: `order_cancelled` when every line is, else the first refused line',
    example: 'order_cancelled',
  })
  reasonCode?: string;

  @ApiProperty({ type: [LineEligibilityResponse] })
  lines!: readonly LineEligibilityResponse[];
}
