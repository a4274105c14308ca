import { CheckpointConflictError, type ReadModelStore } from '../port';

/** The behaviour every read-model store must have; run against memory and a real Redis. */
export function readModelStoreContract(name: string, open: () => Promise<{ store: ReadModelStore; dispose: () => Promise<void> }>): void {
  describe(`ReadModelStore contract: ${name}`, () => {
    let store: ReadModelStore;
    let dispose: () => Promise<void>;
    let model: string;
    const ns = () => ({ model, generation: 1 });

    beforeEach(async () => {
      ({ store, dispose } = await open());
      model = `m${Math.random().toString(36).slice(2)}`;
    });
    afterEach(async () => {
      await store.drop(ns());
      await store.drop({ model, generation: 2 });
      await dispose();
    });

    it('commits documents, index entries and the checkpoint together', async () => {
      await store.commit(ns(), {
        ops: [
          { op: 'put', key: 'a', value: { n: 1, text: 'ключ' } },
          { op: 'put', key: 'b', value: [1, 2] },
          { op: 'index-add', index: 'i', entry: '002|b' },
          { op: 'index-add', index: 'i', entry: '001|a' },
        ],
        expectedCheckpoint: undefined,
        checkpoint: '2',
      });
      expect(await store.get(ns(), 'a')).toEqual({ n: 1, text: 'ключ' });
      expect(await store.getMany(ns(), ['b', 'missing', 'a'])).toEqual([[1, 2], undefined, { n: 1, text: 'ключ' }]);
      expect(await store.entries(ns(), 'i')).toEqual(['001|a', '002|b']);
      expect(await store.checkpoint(ns())).toBe('2');
      expect(await store.dump(ns())).toEqual({ checkpoint: '2', docs: { a: { n: 1, text: 'ключ' }, b: [1, 2] }, indexes: { i: ['001|a', '002|b'] } });
    });

    it('deletes documents and index entries', async () => {
      await store.commit(ns(), { ops: [{ op: 'put', key: 'a', value: 1 }, { op: 'index-add', index: 'i', entry: 'x' }], expectedCheckpoint: undefined, checkpoint: '1' });
      await store.commit(ns(), { ops: [{ op: 'del', key: 'a' }, { op: 'index-remove', index: 'i', entry: 'x' }], expectedCheckpoint: '1', checkpoint: '2' });
      expect(await store.get(ns(), 'a')).toBeUndefined();
      expect(await store.entries(ns(), 'i')).toEqual([]);
    });

    it('refuses a commit whose expected checkpoint is not the stored one, applying nothing', async () => {
      await store.commit(ns(), { ops: [{ op: 'put', key: 'a', value: 1 }], expectedCheckpoint: undefined, checkpoint: '5' });
      await expect(store.commit(ns(), { ops: [{ op: 'put', key: 'a', value: 2 }], expectedCheckpoint: '4', checkpoint: '6' })).rejects.toBeInstanceOf(CheckpointConflictError);
      await expect(store.commit(ns(), { ops: [{ op: 'put', key: 'a', value: 2 }], expectedCheckpoint: undefined, checkpoint: '6' })).rejects.toBeInstanceOf(CheckpointConflictError);
      expect(await store.get(ns(), 'a')).toBe(1);
      expect(await store.checkpoint(ns())).toBe('5');
    });

    it('ranges over an index by bounds, cursor and limit, in byte order', async () => {
      const entries = ['2026-03|a', '2026-03|b', '2026-04|c', '2026-05|d'];
      await store.commit(ns(), { ops: entries.map((entry) => ({ op: 'index-add' as const, index: 'i', entry })), expectedCheckpoint: undefined, checkpoint: '1' });
      expect(await store.entries(ns(), 'i', { from: '2026-04|', before: '2026-04|\uffff' })).toEqual(['2026-04|c']);
      expect(await store.entries(ns(), 'i', { from: '2026-03|', limit: 2 })).toEqual(['2026-03|a', '2026-03|b']);
      expect(await store.entries(ns(), 'i', { after: '2026-03|b' })).toEqual(['2026-04|c', '2026-05|d']);
      expect(await store.entries(ns(), 'i', { from: '2026-03|', after: '2026-04|c', before: '2026-06' })).toEqual(['2026-05|d']);
      expect(await store.entries(ns(), 'missing')).toEqual([]);
    });

    it('keeps generations apart, switches queries atomically, and drops one whole', async () => {
      expect(await store.currentGeneration(model)).toBe(1);
      await store.commit(ns(), { ops: [{ op: 'put', key: 'a', value: 'old' }], expectedCheckpoint: undefined, checkpoint: '1' });
      await store.commit({ model, generation: 2 }, { ops: [{ op: 'put', key: 'a', value: 'new' }], expectedCheckpoint: undefined, checkpoint: '1' });
      expect(await store.get(ns(), 'a')).toBe('old');
      // A live writer refuses to commit to a generation that is no longer current.
      await store.switchGeneration(model, 2);
      expect(await store.currentGeneration(model)).toBe(2);
      await expect(store.commit(ns(), { ops: [], expectedCheckpoint: '1', checkpoint: '2', requireCurrentGeneration: true })).rejects.toBeInstanceOf(CheckpointConflictError);
      await store.drop(ns());
      expect(await store.get(ns(), 'a')).toBeUndefined();
      expect(await store.checkpoint(ns())).toBeUndefined();
      expect(await store.get({ model, generation: 2 }, 'a')).toBe('new');
    });

    it('grants a lease to one owner at a time and refuses commits from others', async () => {
      expect(await store.acquireLease(model, 'p1', 5_000)).toBe(true);
      expect(await store.acquireLease(model, 'p2', 5_000)).toBe(false);
      expect(await store.acquireLease(model, 'p1', 5_000)).toBe(true);
      await expect(store.commit(ns(), { ops: [], expectedCheckpoint: undefined, checkpoint: '1', leaseOwner: 'p2' })).rejects.toBeInstanceOf(CheckpointConflictError);
      await store.commit(ns(), { ops: [], expectedCheckpoint: undefined, checkpoint: '1', leaseOwner: 'p1' });
      await store.releaseLease(model, 'p1');
      expect(await store.acquireLease(model, 'p2', 5_000)).toBe(true);
      await store.releaseLease(model, 'p2');
    });
  });
}
