import { KurrentDbEventStore } from '@csp/event-store/kurrentdb';
import { KurrentDbDataKeyStore, type KeyringClient } from '@csp/security/kurrentdb';
import { FakeKurrentClient } from '../../../event-store/src/kurrentdb/testing/fake-client';
import { copyThereAndBack, embeddedInstall } from './testing/copy-scenario';

// Over the in-memory stand-in for the KurrentDB client: NOT a KurrentDB server
// (copy.kurrentdb.spec.ts runs the same scenario on a real one where Docker exists).
describe('moving an install between stores', () => {
  it('embedded → KurrentDB (fake client), interrupted and resumed, and back: the same history, digest and product keys', async () => {
    const client = new FakeKurrentClient();
    // One client for both, as a KurrentDB install has them: the keyring's streams are in the same log.
    await copyThereAndBack({
      events: new KurrentDbEventStore({ client }),
      keyring: new KurrentDbDataKeyStore(client as unknown as KeyringClient),
      close: async () => undefined,
    });
  });

  it('embedded → embedded', async () => {
    const target = embeddedInstall();
    try {
      await copyThereAndBack(target);
    } finally {
      await target.close();
    }
  });
});
