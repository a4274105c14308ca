/**
 * Moving an install to a real KurrentDB and back, started with testcontainers — wherever a Docker
 * engine answers. Where none does, the suite is skipped with one loud line; REQUIRE_KURRENTDB=1
 * turns that into a failure. copy.spec.ts runs the same scenario over the fake client everywhere.
 */
import { KurrentDbEventStore } from '@csp/event-store/kurrentdb';
import { KurrentDbDataKeyStore } from '@csp/security/kurrentdb';
import { onRealKurrentDb } from '../../../event-store/src/kurrentdb/testing/real-server';
import { copyThereAndBack } from './testing/copy-scenario';

// The scenario needs an empty log: one server for this file alone.
onRealKurrentDb('KURRENTDB STORE COPY SUITE', {}, (connectionString) => {
  describe('moving an install between stores', () => {
    it('embedded → KurrentDB (real server), interrupted and resumed, and back: the same history, digest and product keys', async () => {
      const { KurrentDBClient } = await import('@kurrent/kurrentdb-client');
      const client = KurrentDBClient.connectionString(await connectionString());
      // One client for both, as a KurrentDB install has them: the keyring's streams are in the same log.
      const events = new KurrentDbEventStore({ client });
      try {
        await copyThereAndBack({ events, keyring: new KurrentDbDataKeyStore(client), close: async () => undefined });
      } finally {
        await events.close();
      }
    });
  });
});
