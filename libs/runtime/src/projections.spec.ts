import { PROJECTIONS as TESTED } from '../../projections/src/testing/product-projections';
import { PROJECTIONS } from './projections';

describe("the product's read models", () => {
  it('are the ones the projections specs and benches use (their mirror of this list), in the same order', () => {
    expect(TESTED).toEqual(PROJECTIONS);
    expect(TESTED.map((p) => p.name)).toEqual(['customers', 'software-list', 'order-history', 'activity-log', 'credits', 'analytics']);
  });
});
