import { freezeEvent } from '../frozen-events';
import type { RecordedEvent } from '../port';

/**
 * Reads shared between the subscriptions of one store. Every read model has its own
 * subscription, all with the same filter; a notification wakes them together at the same
 * position, and each would send the same page query (and the same held-back check) to the
 * server. A read is shared with whoever asks for the same key while it runs and for `ttlMs`
 * after it started; the key carries the notification count, so a notification always leads to a
 * fresh read. A shared result may be a shorter page than a fresh read would give (rows that became
 * readable since): a correct prefix, read on at the next look. Failures are not kept.
 */
export class SharedReads {
  private readonly entries = new Map<string, { readonly at: number; readonly value: Promise<unknown> }>();

  constructor(
    private readonly ttlMs = 20,
    private readonly capacity = 16,
  ) {}

  page(key: string, load: () => Promise<RecordedEvent[]>): Promise<readonly RecordedEvent[]> {
    return this.read(key, async () => Object.freeze((await load()).map(freezeEvent)));
  }

  read<T>(key: string, load: () => Promise<T>): Promise<T> {
    const now = Date.now();
    const hit = this.entries.get(key);
    if (hit && now - hit.at <= this.ttlMs) return hit.value as Promise<T>;
    const value = load();
    this.entries.delete(key);
    this.entries.set(key, { at: now, value });
    value.catch(() => {
      if (this.entries.get(key)?.value === value) this.entries.delete(key);
    });
    // Map keeps insertion order: the first key is the oldest read.
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
    return value;
  }
}
