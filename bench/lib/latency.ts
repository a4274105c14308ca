/** A route's latency as a dashboard or an export sees it: one request at a time, measured at the client. */
import { createHash } from 'node:crypto';
import { now, percentile } from './common';

/** Per route: at most this many measured requests, and no more than this many seconds of them (but at least MIN_SAMPLES). */
const MAX_SAMPLES = 100;
const MIN_SAMPLES = 20;
const SECONDS_PER_ROUTE = 20;

export interface Measured {
  readonly samples: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  /** SHA-256 of the first answer's body. */
  readonly answer: string;
  /** Bytes of the first answer's body. */
  readonly bytes: number;
}

/** One request at a time, after three unmeasured; every answer must be 200. */
export async function measure(baseUrl: string, token: string, path: string): Promise<Measured> {
  const ask = async () => {
    const res = await fetch(`${baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
    const text = await res.text();
    if (res.status !== 200) throw new Error(`${path}: ${res.status} ${text.slice(0, 300)}`);
    return text;
  };
  const first = await ask();
  const answer = createHash('sha256').update(first).digest('hex');
  await ask();
  await ask();
  const times: number[] = [];
  const began = now();
  while (times.length < MAX_SAMPLES && (times.length < MIN_SAMPLES || now() - began < SECONDS_PER_ROUTE * 1000)) {
    const t = now();
    await ask();
    times.push(now() - t);
  }
  times.sort((a, b) => a - b);
  return { samples: times.length, p50Ms: percentile(times, 50), p99Ms: percentile(times, 99), maxMs: times.at(-1)!, answer, bytes: Buffer.byteLength(first) };
}
