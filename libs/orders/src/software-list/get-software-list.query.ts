import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { CLOCK, CustomerScopedQuery, READ_SIDE, type CommandContext } from '@csp/application';
import type { Clock } from '@csp/config';
import type { ReadSide } from '@csp/projections';
import { SoftwareListQueries, type SoftwareList } from './software-list.queries';

export class GetSoftwareListQuery extends Query<SoftwareList> {
  constructor(
    readonly context: CommandContext,
    readonly customerId: string,
  ) {
    super();
  }
}

@QueryHandler(GetSoftwareListQuery)
export class GetSoftwareListHandler extends CustomerScopedQuery implements IQueryHandler<GetSoftwareListQuery> {
  private readonly softwareList: SoftwareListQueries;

  constructor(
    @Inject(READ_SIDE) readSide: ReadSide,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    super(readSide);
    this.softwareList = new SoftwareListQueries(readSide.store);
  }

  async execute({ context, customerId }: GetSoftwareListQuery) {
    await this.customerFor(context, customerId, 'software.read');
    return this.softwareList.softwareList(customerId, this.clock.now());
  }
}
