export { readModelStoreContract } from './read-model-store.contract';
