export { readModelStoreContract, type OpenedReadModelStore } from './read-model-store.contract';
