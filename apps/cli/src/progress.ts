/** Where progress goes: stderr in the commands (audit, projections:rebuild), a buffer in tests. */
export interface ProgressOutput {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

const WIDTH = 30;
/** How often a plain (non-terminal) output gets a line: enough to show life in CI logs, not to flood them. */
const PLAIN_EVERY_MS = 2_000;

/** A whole number with thousands separators (1,234,567), the way every CLI line counts. */
export const count = (n: number) => Math.round(n).toLocaleString('en-US');

/**
 * A progress bar redrawn in place on a terminal; on anything else (CI logs, files) a plain line
 * every couple of seconds, so long work always shows it is alive without control characters.
 */
export class ProgressBar {
  private lastPlainLineMs = -Infinity;

  constructor(
    private readonly output: ProgressOutput,
    private readonly label: string,
    /** Events expected in all, when known: adds a bar and a percentage. */
    private readonly total?: number,
    private readonly nowMs: () => number = () => performance.now(),
    /** What is counted: events, unless said otherwise (pages of a snapshot, MiB archived). */
    private readonly unit = 'events',
  ) {}

  update(done: number, eventsPerSecond: number): void {
    const percent = this.total ? Math.min(100, (done / this.total) * 100) : undefined;
    const figures = `${count(done)}${this.total ? `/${count(this.total)}` : ''} ${this.unit}, ${count(eventsPerSecond)} ${this.unit}/s`;
    if (this.output.isTTY) {
      const filled = percent !== undefined ? Math.round((percent / 100) * WIDTH) : 0;
      const bar = percent !== undefined ? `[${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}] ${percent.toFixed(1).padStart(5)}% ` : '';
      this.output.write(`\r\x1b[2K${this.label} ${bar}${figures}`);
      return;
    }
    const now = this.nowMs();
    if (now - this.lastPlainLineMs < PLAIN_EVERY_MS) return;
    this.lastPlainLineMs = now;
    this.output.write(`${this.label}: ${figures}${percent !== undefined ? ` (${percent.toFixed(1)}%)` : ''}\n`);
  }

  /** Replaces the bar with the closing line. */
  done(message: string): void {
    this.output.write(`${this.output.isTTY ? '\r\x1b[2K' : ''}${message}\n`);
  }
}
