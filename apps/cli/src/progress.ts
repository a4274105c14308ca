/**
 * Progress on stderr: a redrawn bar on a terminal, a plain line every few seconds otherwise
 * (CI logs), so long work always shows it is alive.
 */
export function progressReporter(label: string, total?: number) {
  const tty = process.stderr.isTTY;
  let lastLine = 0;
  return {
    update(done: number, rate: number): void {
      const now = Date.now();
      const percent = total ? Math.min(100, (done / total) * 100) : undefined;
      if (tty) {
        const width = 30;
        const filled = percent !== undefined ? Math.round((percent / 100) * width) : 0;
        const bar = percent !== undefined ? `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${percent.toFixed(1)}% ` : '';
        process.stderr.write(`\r${label} ${bar}${done.toLocaleString('en-US')} events, ${Math.round(rate).toLocaleString('en-US')} events/s   `);
      } else if (now - lastLine >= 2000) {
        lastLine = now;
        process.stderr.write(`${label}: ${done} events${percent !== undefined ? ` (${percent.toFixed(1)}%)` : ''}, ${Math.round(rate)} events/s\n`);
      }
    },
    done(message: string): void {
      process.stderr.write(`${tty ? '\r' : ''}${message}${tty ? ' '.repeat(20) : ''}\n`);
    },
  };
}
