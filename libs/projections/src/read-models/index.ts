// The read models not yet moved into their bounded context. The product's list of every read model
// (these and the contexts' projections) is PROJECTIONS in libs/runtime, where the read side is
// assembled: this package cannot import the contexts, whose projections import it.
export * from './customers';
