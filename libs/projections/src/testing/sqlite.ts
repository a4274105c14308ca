import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteReadModelStore } from '../stores/sqlite-store';

/** A read-model store of its own in a fresh folder: `dispose` closes it and removes the folder. */
export function testSqliteStore(): { store: SqliteReadModelStore; dispose(): Promise<void> } {
  const dir = mkdtempSync(join(tmpdir(), 'csp-read-models-'));
  const store = new SqliteReadModelStore(join(dir, 'read-models.sqlite'));
  return {
    store,
    dispose: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
