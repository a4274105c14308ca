/**
 * The measuring loop the append benchmarks share: one async loop per writer, each on its own
 * stream, appending for a window after a warm-up; slices of interleaved rounds combined into a cell.
 */
import { randomUUID } from 'node:crypto';
import type { EventStore, NewEvent } from '@csp/event-store';
import { now, percentile } from './common';
import { sampleEvents } from './events';

/** How long writers run before the window opens. */
export const WARMUP_MS = 200;

export interface CellResult {
  readonly eventsPerSecond: number;
  readonly appends: number;
  readonly events: number;
  readonly seconds: number;
  readonly p50Ms?: number;
  readonly p99Ms?: number;
  readonly errors?: number;
  readonly firstError?: string;
}

export interface Slice {
  appends: number;
  seconds: number;
  latencies: number[];
  errors: number;
  firstError?: string;
}

export type Writers = { stream: string; n: number }[];
export const newWriters = (count: number): Writers => Array.from({ length: count }, () => ({ stream: randomUUID(), n: 0 }));

/** Runs one async loop per writer for `ms`; counts only appends that finished inside the window. */
export async function asyncSlice(
  writers: Writers,
  perAppend: number,
  ms: number,
  append: (n: number, streamId: string, events: NewEvent[]) => Promise<void>,
): Promise<Slice> {
  let measuring = false;
  let stop = false;
  const slice: Slice = { appends: 0, seconds: 0, latencies: [], errors: 0 };
  const loop = async (state: Writers[number]) => {
    while (!stop) {
      const events = sampleEvents(state.stream, perAppend, state.n * perAppend);
      const t0 = now();
      try {
        await append(state.n, `order-${state.stream}`, events);
        state.n++;
        if (measuring) {
          slice.appends++;
          slice.latencies.push(now() - t0);
        }
      } catch (error) {
        slice.errors++;
        slice.firstError ??= (error as Error).message;
        // A peer may have left its connection in a bad state; do not spin on a broken store.
        await new Promise((r) => setTimeout(r, 1));
      }
    }
  };
  const loops = writers.map(loop);
  await new Promise((r) => setTimeout(r, WARMUP_MS));
  measuring = true;
  const t0 = now();
  await new Promise((r) => setTimeout(r, ms));
  measuring = false;
  slice.seconds = (now() - t0) / 1000;
  stop = true;
  await Promise.all(loops);
  return slice;
}

export function combine(slices: Slice[], perAppend: number): CellResult {
  const appends = slices.reduce((s, x) => s + x.appends, 0);
  const seconds = slices.reduce((s, x) => s + x.seconds, 0);
  const errors = slices.reduce((s, x) => s + x.errors, 0);
  const latencies = slices.flatMap((s) => s.latencies).sort((a, b) => a - b);
  return {
    eventsPerSecond: (appends * perAppend) / seconds,
    appends,
    events: appends * perAppend,
    seconds,
    ...(latencies.length > 0 ? { p50Ms: percentile(latencies, 50), p99Ms: percentile(latencies, 99) } : {}),
    ...(errors > 0 ? { errors, firstError: slices.find((s) => s.firstError)?.firstError } : {}),
  };
}

/** One of the systems a cell compares: a slice of appends at a time, then closed. */
export interface AppendingSystem {
  slice(ms: number): Promise<Slice>;
  close(): Promise<void>;
}

/** Our store through its port: each writer awaits its own append, under the revision it expects. */
export function throughPort(store: EventStore, writerCount: number, perAppend: number): AppendingSystem {
  const writers = newWriters(writerCount);
  return {
    slice: (ms) =>
      asyncSlice(writers, perAppend, ms, async (n, streamId, events) => {
        await store.append(streamId, events, n === 0 ? 'no_stream' : BigInt(n * perAppend - 1));
      }),
    close: () => store.close(),
  };
}
