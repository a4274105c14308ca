export { eventStoreContract, type OpenedStore } from './event-store.contract';
