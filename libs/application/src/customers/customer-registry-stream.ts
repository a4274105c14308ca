import { evolveCustomerRegistry, foldCustomerRegistry, initialCustomerRegistryState, type CustomerEvent, type CustomerRegistryState } from '@csp/domain';
import type { StreamModel } from '../stream-repository';

export const customerRegistryStream: StreamModel<CustomerRegistryState, CustomerEvent> = {
  initialState: initialCustomerRegistryState,
  evolve: evolveCustomerRegistry,
  fold: foldCustomerRegistry,
};
