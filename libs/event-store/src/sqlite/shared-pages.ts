import { freezeEvent } from '../frozen-events';
import type { RecordedEvent } from '../port';

/**
 * The last pages read for subscriptions, shared between them. Every read model has its own
 * subscription, and after each commit they all wake at the same checkpoint and ask for the same
 * page: reading and parsing it once instead of once per read model was the largest hot spot of
 * the command benchmarks (docs/BENCHMARKS.md). A page bounded by a committed head never changes
 * (positions are gapless in commit order and committed rows are never rewritten), so an entry
 * needs no invalidation, only a bound on how many are kept.
 *
 * Shared events are frozen, deeply (freezeEvent).
 */
export class SharedPages {
  private readonly pages = new Map<string, readonly RecordedEvent[]>();

  constructor(private readonly capacity = 8) {}

  read(key: string, load: () => RecordedEvent[]): readonly RecordedEvent[] {
    const hit = this.pages.get(key);
    if (hit) return hit;
    const page = Object.freeze(load().map(freezeEvent));
    this.pages.set(key, page);
    // Map keeps insertion order: the first key is the oldest page.
    if (this.pages.size > this.capacity) this.pages.delete(this.pages.keys().next().value!);
    return page;
  }
}
