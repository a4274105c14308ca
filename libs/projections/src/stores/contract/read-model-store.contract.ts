import { CheckpointConflictError, type ReadModelStore } from '../port';

export interface OpenedReadModelStore {
  readonly store: ReadModelStore;
  /** Closes the store and removes whatever the test wrote. */
  dispose(): Promise<void>;
}

/** The behaviour every read-model store must have; each adapter's spec runs it with its own factory. */
export function readModelStoreContract(name: string, open: () => Promise<OpenedReadModelStore>): void {
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
      await store.commit(ns(), {
        ops: [
          { op: 'put', key: 'a', value: 1 },
          { op: 'index-add', index: 'i', entry: 'x' },
        ],
        expectedCheckpoint: undefined,
        checkpoint: '1',
      });
      await store.commit(ns(), {
        ops: [
          { op: 'del', key: 'a' },
          { op: 'index-remove', index: 'i', entry: 'x' },
        ],
        expectedCheckpoint: '1',
        checkpoint: '2',
      });
      expect(await store.get(ns(), 'a')).toBeUndefined();
      expect(await store.entries(ns(), 'i')).toEqual([]);
    });

    it('refuses a commit whose expected checkpoint is not the stored one, applying nothing', async () => {
      await store.commit(ns(), { ops: [{ op: 'put', key: 'a', value: 1 }], expectedCheckpoint: undefined, checkpoint: '5' });
      await expect(store.commit(ns(), { ops: [{ op: 'put', key: 'a', value: 2 }], expectedCheckpoint: '4', checkpoint: '6' })).rejects.toBeInstanceOf(
        CheckpointConflictError,
      );
      await expect(store.commit(ns(), { ops: [{ op: 'put', key: 'a', value: 2 }], expectedCheckpoint: undefined, checkpoint: '6' })).rejects.toBeInstanceOf(
        CheckpointConflictError,
      );
      expect(await store.get(ns(), 'a')).toBe(1);
      expect(await store.checkpoint(ns())).toBe('5');
    });

    it('ranges over an index by bounds, cursor and limit, in byte order', async () => {
      const entries = ['2026-03|a', '2026-03|b', '2026-04|c', '2026-05|d'];
      await store.commit(ns(), {
        ops: entries.map((entry) => ({ op: 'index-add' as const, index: 'i', entry })),
        expectedCheckpoint: undefined,
        checkpoint: '1',
      });
      expect(await store.entries(ns(), 'i', { from: '2026-04|', before: '2026-04|\uffff' })).toEqual(['2026-04|c']);
      expect(await store.entries(ns(), 'i', { from: '2026-03|', limit: 2 })).toEqual(['2026-03|a', '2026-03|b']);
      expect(await store.entries(ns(), 'i', { after: '2026-03|b' })).toEqual(['2026-04|c', '2026-05|d']);
      expect(await store.entries(ns(), 'i', { from: '2026-03|', after: '2026-04|c', before: '2026-06' })).toEqual(['2026-05|d']);
      expect(await store.entries(ns(), 'missing')).toEqual([]);
    });

    it('skips an offset of the range before its limit, and answers nothing past its end', async () => {
      const entries = ['2026-03|a', '2026-03|b', '2026-04|c', '2026-04|d', '2026-04|e', '2026-05|f'];
      await store.commit(ns(), {
        ops: entries.map((entry) => ({ op: 'index-add' as const, index: 'i', entry })),
        expectedCheckpoint: undefined,
        checkpoint: '1',
      });
      expect(await store.entries(ns(), 'i', { offset: 4 })).toEqual(['2026-04|e', '2026-05|f']);
      expect(await store.entries(ns(), 'i', { offset: 1, limit: 2 })).toEqual(['2026-03|b', '2026-04|c']);
      expect(await store.entries(ns(), 'i', { from: '2026-04|', before: '2026-04}', offset: 1, limit: 5 })).toEqual(['2026-04|d', '2026-04|e']);
      expect(await store.entries(ns(), 'i', { after: '2026-03|b', offset: 2, limit: 1 })).toEqual(['2026-04|e']);
      expect(await store.entries(ns(), 'i', { from: '2026-04|', before: '2026-04}', offset: 3 })).toEqual([]);
      expect(await store.entries(ns(), 'i', { offset: 0, limit: 1 })).toEqual(['2026-03|a']);
      expect(await store.entries(ns(), 'i', { offset: Number.MAX_SAFE_INTEGER, limit: 10 })).toEqual([]);
    });

    it('keeps generations apart, switches queries atomically, and drops one whole', async () => {
      expect(await store.currentGeneration(model)).toBe(1);
      await store.commit(ns(), { ops: [{ op: 'put', key: 'a', value: 'old' }], expectedCheckpoint: undefined, checkpoint: '1' });
      await store.commit({ model, generation: 2 }, { ops: [{ op: 'put', key: 'a', value: 'new' }], expectedCheckpoint: undefined, checkpoint: '1' });
      expect(await store.get(ns(), 'a')).toBe('old');
      // A live writer refuses to commit to a generation that is no longer current.
      await store.switchGeneration(model, 2);
      expect(await store.currentGeneration(model)).toBe(2);
      await expect(store.commit(ns(), { ops: [], expectedCheckpoint: '1', checkpoint: '2', requireCurrentGeneration: true })).rejects.toBeInstanceOf(
        CheckpointConflictError,
      );
      await store.drop(ns());
      expect(await store.get(ns(), 'a')).toBeUndefined();
      expect(await store.checkpoint(ns())).toBeUndefined();
      expect(await store.get({ model, generation: 2 }, 'a')).toBe('new');
    });

    it('grants a lease to one owner at a time and refuses commits from others', async () => {
      expect(await store.leaseHolder(model)).toBeUndefined();
      expect(await store.acquireLease(model, 'p1', 5_000)).toBe(true);
      expect(await store.leaseHolder(model)).toBe('p1');
      expect(await store.acquireLease(model, 'p2', 5_000)).toBe(false);
      expect(await store.acquireLease(model, 'p1', 5_000)).toBe(true);
      await expect(store.commit(ns(), { ops: [], expectedCheckpoint: undefined, checkpoint: '1', leaseOwner: 'p2' })).rejects.toBeInstanceOf(
        CheckpointConflictError,
      );
      await store.commit(ns(), { ops: [], expectedCheckpoint: undefined, checkpoint: '1', leaseOwner: 'p1' });
      await store.releaseLease(model, 'p1');
      expect(await store.leaseHolder(model)).toBeUndefined();
      expect(await store.acquireLease(model, 'p2', 5_000)).toBe(true);
      await store.releaseLease(model, 'p2');
    });

    it('forgets a lease its holder stopped renewing', async () => {
      expect(await store.acquireLease(model, 'p1', 50)).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 120));
      expect(await store.leaseHolder(model)).toBeUndefined();
      expect(await store.acquireLease(model, 'p2', 5_000)).toBe(true);
      await store.releaseLease(model, 'p2');
    });

    it('lets exactly one of two commits from the same checkpoint win', async () => {
      await store.commit(ns(), { ops: [{ op: 'put', key: 'n', value: 0 }], expectedCheckpoint: undefined, checkpoint: '1' });
      const results = await Promise.allSettled([
        store.commit(ns(), { ops: [{ op: 'put', key: 'n', value: 'a' }], expectedCheckpoint: '1', checkpoint: '2' }),
        store.commit(ns(), { ops: [{ op: 'put', key: 'n', value: 'b' }], expectedCheckpoint: '1', checkpoint: '2' }),
      ]);
      const won = results.findIndex((r) => r.status === 'fulfilled');
      expect(results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason)).toEqual([expect.any(CheckpointConflictError)]);
      expect(await store.get(ns(), 'n')).toBe(won === 0 ? 'a' : 'b');
    });

    it('commits a large batch whole: thousands of operations and documents of any JSON', async () => {
      const ops = Array.from({ length: 3000 }, (_, i) => [
        { op: 'put' as const, key: `doc:${i}`, value: { i, text: `"quoted" \\ ${'x'.repeat(i % 50)} ✓`, nested: { list: [i, null, true] } } },
        { op: 'index-add' as const, index: 'all', entry: String(i).padStart(6, '0') },
      ]).flat();
      await store.commit(ns(), { ops, expectedCheckpoint: undefined, checkpoint: '3000' });
      expect(await store.get(ns(), 'doc:2999')).toEqual({ i: 2999, text: `"quoted" \\ ${'x'.repeat(2999 % 50)} ✓`, nested: { list: [2999, null, true] } });
      expect(await store.entries(ns(), 'all', { after: '002997' })).toEqual(['002998', '002999']);
      const dump = await store.dump(ns());
      expect(Object.keys(dump.docs)).toHaveLength(3000);
      expect(dump.indexes.all).toHaveLength(3000);
    });

    it('applies the operations of a batch in order: a later write of the same document wins', async () => {
      await store.commit(ns(), {
        ops: [
          { op: 'put', key: 'a', value: 1 },
          { op: 'del', key: 'a' },
          { op: 'put', key: 'b', value: 1 },
          { op: 'put', key: 'b', value: 2 },
          { op: 'index-add', index: 'i', entry: 'x' },
          { op: 'index-remove', index: 'i', entry: 'x' },
        ],
        expectedCheckpoint: undefined,
        checkpoint: '1',
      });
      expect(await store.getMany(ns(), ['a', 'b'])).toEqual([undefined, 2]);
      expect(await store.entries(ns(), 'i')).toEqual([]);
    });

    it('keeps read models apart: the same keys in two models never meet', async () => {
      const other = { model: `${model}-other`, generation: 1 };
      await store.commit(ns(), {
        ops: [
          { op: 'put', key: 'a', value: 'mine' },
          { op: 'index-add', index: 'i', entry: 'x' },
        ],
        expectedCheckpoint: undefined,
        checkpoint: '1',
      });
      await store.commit(other, { ops: [{ op: 'put', key: 'a', value: 'theirs' }], expectedCheckpoint: undefined, checkpoint: '7' });
      expect(await store.get(ns(), 'a')).toBe('mine');
      expect(await store.entries(other, 'i')).toEqual([]);
      await store.drop(other);
      expect(await store.get(ns(), 'a')).toBe('mine');
      expect(await store.checkpoint(other)).toBeUndefined();
    });
  });
}
