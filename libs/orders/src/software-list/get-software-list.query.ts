import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { CLOCK, nextCursorOf, PagedByIdQuery, READ_SIDE, ReadModelQueryHandler } from '@csp/application';
import { CustomersQueries } from '@csp/customers';
import type { Clock } from '@csp/config';
import type { Answer } from '@csp/http';
import type { ReadSide } from '@csp/projections';
import { assertCustomerInScope } from '../customer-scope';
import { SoftwareListQueries, type SoftwareList } from './software-list.queries';
import type { SoftwareListResponse } from './software-list.response';

export class GetSoftwareListQuery extends PagedByIdQuery<Answer<SoftwareList, SoftwareListResponse>> {}

@QueryHandler(GetSoftwareListQuery)
export class GetSoftwareListHandler extends ReadModelQueryHandler implements IQueryHandler<GetSoftwareListQuery> {
  private readonly customers = new CustomersQueries(this.store);
  private readonly softwareList = new SoftwareListQueries(this.store);

  constructor(
    @Inject(READ_SIDE) readSide: ReadSide,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    super(readSide);
  }

  async execute({ context, id: customerId, page }: GetSoftwareListQuery) {
    await assertCustomerInScope(this.customers, context, customerId, 'software.read');
    const list = await this.softwareList.softwareList(customerId, this.clock.now(), page);
    return { ...list, ...nextCursorOf(list) };
  }
}
