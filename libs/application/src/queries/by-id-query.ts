import { Query } from '@nestjs/cqrs';
import type { PageRequest } from '@csp/domain';
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

/** A page of a list that belongs to the resource its id names (a customer's software, its orders). */
export abstract class PagedByIdQuery<R> extends ByIdQuery<R> {
  constructor(
    context: CommandContext,
    id: string,
    /** Its position decoded from the client's cursor (decodeCursor). */
    readonly page: PageRequest,
  ) {
    super(context, id);
  }
}
