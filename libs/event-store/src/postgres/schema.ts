import type { Pool } from 'pg';

/**
 * The PostgreSQL store's schema, versioned in `event_store_migrations`.
 *
 * Global order is (transaction_id, position), not position alone: an identity column hands out
 * numbers when rows are inserted, and transactions commit in another order, so a reader that
 * trusted "everything after the last position I saw" would skip a row whose transaction commits
 * after a later-numbered one. Each row records the id of the transaction that wrote it
 * (`pg_current_xact_id()`), and readers only take rows whose transaction is older than every
 * transaction still running (README: Global order).
 */

/** MIGRATIONS[i] takes a database from version i to i + 1. Append only; never edit a shipped one. */
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE streams (
    stream_id text   PRIMARY KEY,
    revision  bigint NOT NULL
  );
  CREATE TABLE events (
    position       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    transaction_id xid8        NOT NULL DEFAULT pg_current_xact_id(),
    stream_id      text        NOT NULL,
    revision       bigint      NOT NULL,
    event_id       text        NOT NULL,
    type           text        NOT NULL,
    -- json, not jsonb: kept as written (key order, \\u0000 in strings, number spelling).
    data           json        NOT NULL,
    metadata       json        NOT NULL,
    recorded_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT events_stream_revision UNIQUE (stream_id, revision),
    CONSTRAINT events_event_id UNIQUE (event_id)
  );
  CREATE INDEX events_global_order ON events (transaction_id, position);
  -- One notification per appending transaction, sent at commit: subscribers wake up at once
  -- instead of at their next poll. Whoever inserts (this adapter, a migration, psql) notifies.
  CREATE FUNCTION events_notify() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    PERFORM pg_notify('csp_events', '');
    RETURN NULL;
  END $$;
  CREATE TRIGGER events_notify AFTER INSERT ON events FOR EACH STATEMENT EXECUTE FUNCTION events_notify();

  -- Whether a stream whose last revision is \`last\` (NULL: no stream) meets an expected revision:
  -- 'any', 'no_stream', 'stream_exists' or a revision in text.
  CREATE FUNCTION expected_revision_met(expected text, last bigint) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE expected
      WHEN 'any' THEN true
      WHEN 'no_stream' THEN last IS NULL
      WHEN 'stream_exists' THEN last IS NOT NULL
      ELSE last IS NOT NULL AND last = expected::bigint
    END
  $$;

  -- One append, decided and written in one statement (one round trip, one transaction when
  -- called alone): lock the stream's row, answer a retry of the same event ids as the first time,
  -- check the expected revision, move the stream's revision, insert the events in order.
  -- out_outcome: 'appended' | 'retried' (out_revision, out_transaction_id, out_position: the last
  -- event's) | 'wrong_revision' (out_revision: the stream's last revision, NULL for no stream) |
  -- 'other_stream' (the first event id is recorded in another stream).
  CREATE FUNCTION append_events(p_stream text, p_expected text, p_ids text[], p_types text[], p_data text[], p_metadata text[],
    OUT out_outcome text, OUT out_revision bigint, OUT out_transaction_id xid8, OUT out_position bigint)
  LANGUAGE plpgsql AS $$
  DECLARE
    v_count integer := cardinality(p_ids);
    v_last bigint;
    v_exists boolean;
    v_first_stream text;
    v_first_revision bigint;
    v_stored text[];
  BEGIN
    LOOP
      -- Appends to one stream queue here; each sees the revision the previous one left.
      SELECT s.revision INTO v_last FROM streams s WHERE s.stream_id = p_stream FOR UPDATE;
      v_exists := FOUND;
      SELECT e.stream_id, e.revision INTO v_first_stream, v_first_revision FROM events e WHERE e.event_id = p_ids[1];
      IF FOUND THEN
        IF v_first_stream <> p_stream THEN
          out_outcome := 'other_stream';
          RETURN;
        END IF;
        SELECT array_agg(r.event_id ORDER BY r.revision) INTO v_stored
          FROM (SELECT e.event_id, e.revision FROM events e WHERE e.stream_id = p_stream AND e.revision >= v_first_revision ORDER BY e.revision LIMIT v_count) r;
        IF v_stored = p_ids AND expected_revision_met(p_expected, CASE WHEN v_first_revision = 0 THEN NULL ELSE v_first_revision - 1 END) THEN
          out_outcome := 'retried';
          out_revision := v_first_revision + v_count - 1;
          SELECT e.transaction_id, e.position INTO out_transaction_id, out_position FROM events e WHERE e.stream_id = p_stream AND e.revision = out_revision;
        ELSE
          out_outcome := 'wrong_revision';
          out_revision := v_last;
        END IF;
        RETURN;
      END IF;
      IF NOT expected_revision_met(p_expected, CASE WHEN v_exists THEN v_last END) THEN
        out_outcome := 'wrong_revision';
        out_revision := CASE WHEN v_exists THEN v_last END;
        RETURN;
      END IF;
      out_revision := COALESCE(CASE WHEN v_exists THEN v_last END, -1) + v_count;
      IF v_exists THEN
        UPDATE streams s SET revision = out_revision WHERE s.stream_id = p_stream;
      ELSE
        INSERT INTO streams (stream_id, revision) VALUES (p_stream, out_revision) ON CONFLICT (stream_id) DO NOTHING;
        -- A concurrent creator committed the row while this insert waited on it: decide again.
        CONTINUE WHEN NOT FOUND;
      END IF;
      INSERT INTO events (stream_id, revision, event_id, type, data, metadata)
        SELECT p_stream, out_revision - v_count + i.n, i.event_id, i.type, i.data::json, i.metadata::json
        FROM unnest(p_ids, p_types, p_data, p_metadata) WITH ORDINALITY AS i(event_id, type, data, metadata, n)
        ORDER BY i.n;
      out_outcome := 'appended';
      SELECT e.transaction_id, e.position INTO out_transaction_id, out_position FROM events e WHERE e.stream_id = p_stream AND e.revision = out_revision;
      RETURN;
    END LOOP;
  END $$;
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/** The channel the trigger notifies. */
export const NOTIFY_CHANNEL = 'csp_events';

/** Any constant both sides agree on: every process migrating this database takes the same lock. */
const MIGRATION_LOCK = 0x0c5e_0001;

/**
 * Brings the database to SCHEMA_VERSION in one transaction under a transaction-level advisory
 * lock: processes starting at once queue on the lock, and each finds the work done by the first.
 * DDL is transactional in PostgreSQL, so a failed migration leaves the previous version whole.
 * A database written by a newer program is refused rather than used.
 */
export async function migrate(pool: Pool): Promise<{ from: number; to: number }> {
  const client = await pool.connect();
  let failure: unknown;
  // Checked out, a connection has no listener of the pool's: without one a dropped connection's 'error' is unhandled.
  const onError = (error: Error) => {
    failure = error;
  };
  client.on('error', onError);
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query('CREATE TABLE IF NOT EXISTS event_store_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())');
    const { rows } = await client.query<{ version: number | null }>('SELECT max(version) AS version FROM event_store_migrations');
    const from = rows[0]?.version ?? 0;
    if (from > SCHEMA_VERSION) {
      throw new Error(`The PostgreSQL event store is at schema version ${from}, newer than this program's ${SCHEMA_VERSION}: upgrade the program`);
    }
    for (let version = from; version < SCHEMA_VERSION; version++) {
      await client.query(MIGRATIONS[version]!);
      await client.query('INSERT INTO event_store_migrations (version) VALUES ($1)', [version + 1]);
    }
    await client.query('COMMIT');
    return { from, to: SCHEMA_VERSION };
  } catch (error) {
    failure = error;
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.off('error', onError);
    // A connection that failed is dropped, not handed to the next caller.
    client.release(failure instanceof Error ? failure : undefined);
  }
}

/** The schema version a database is at, without changing it; 0 when it holds no event store. */
export async function schemaVersion(pool: Pool): Promise<number> {
  const table = await pool.query<{ found: boolean }>(`SELECT to_regclass('event_store_migrations') IS NOT NULL AS found`);
  if (!table.rows[0]?.found) return 0;
  const { rows } = await pool.query<{ version: number | null }>('SELECT max(version) AS version FROM event_store_migrations');
  return rows[0]?.version ?? 0;
}
