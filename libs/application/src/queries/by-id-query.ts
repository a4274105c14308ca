import { Query } from '@nestjs/cqrs';
import type { CommandContext } from '../context';

/** A caller's query for the one resource its id names (an order, a customer, a refund request…), answered R. */
export abstract class ByIdQuery<R> extends Query<R> {
  constructor(
    readonly context: CommandContext,
    readonly id: string,
  ) {
    super();
  }
}
