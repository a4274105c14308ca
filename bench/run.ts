/**
 * npm run bench -- <name>
 *
 * One benchmark per run; each prints its tables and writes bench/results/<name>.json. Every figure
 * is a ratio against a baseline measured in the same run (see each file's header). Benchmark-only
 * packages (autocannon, Emmett) come from bench/.deps (git-ignored), $BENCH_DEPS, or the devDependencies.
 */
const BENCHMARKS: Record<string, { file: string; what: string }> = {
  append: { file: './append', what: 'embedded store appends vs raw better-sqlite3 and Emmett SQLite' },
  'append-postgres': { file: './append-postgres', what: 'PostgreSQL store appends vs raw pg inserts into the same schema (POSTGRES_URL)' },
  commands: { file: './commands', what: 'HTTP throughput and latency of purchase, reveal key, issue link, cancel vs an empty Nest route' },
  rebuild: { file: './rebuild', what: 'projection rebuild of 1M events into memory and Redis vs the raw read and raw Redis writes' },
  replay: { file: './replay', what: "auditors' replay of a partner's, customer's, user's month through the indexes vs the scan and the raw read" },
  registry: { file: './registry', what: "cold load of a partner's customer registry (1k–20k customers) vs the raw read and the old event-by-event fold" },
  lag: { file: './lag', what: 'projection lag (acknowledged command → visible in the read models) under the commands load' },
  platforms: { file: './platforms', what: 'NestJS on Fastify vs on Express: the same empty GET and POST routes side by side (Fastify from bench/.deps)' },
  profile: { file: './profile', what: 'CPU profile of the API under the commands phases: hot spots per phase (not a ratio benchmark)' },
  observability: { file: './observability', what: 'what metrics and tracing cost purchase and reveal key: each on and off vs both off, in the same run' },
  store: { file: './store', what: 'backup, verify, restore and copy to PostgreSQL at 100k and 1M events vs a raw SQLite .backup() and raw pg INSERTs' },
  scale: { file: './scale', what: 'the embedded API at 100k/1M/5M events: start-up, RSS, query p50/p99 per route, a 10-minute endurance curve' },
  analytics: { file: './analytics', what: 'p50/p99 of the analytics routes at 1M events: groupings kept vs computed per request (the build before)' },
};

async function main(): Promise<void> {
  const name = process.argv[2];
  const entry = name ? BENCHMARKS[name] : undefined;
  if (!entry) {
    process.stderr.write(
      `Usage: npm run bench -- <name>\n\n${Object.entries(BENCHMARKS)
        .map(([n, b]) => `  ${n.padEnd(15)} ${b.what}`)
        .join('\n')}\n`,
    );
    process.exit(2);
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const bench = require(entry.file) as { run(): Promise<void> };
  await bench.run();
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench failed: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
