/**
 * The probe of `npm run bench -- lag`, in its own process so that the load generator's event loop
 * does not delay its clock. Repeatedly: purchase an order (the acknowledgement carries its
 * `position`), then ask the software list with ?atLeast=<position> — the API answers once every
 * read model has applied that position (X-Read-Model-Stale if it gave up after 3 s) — and check
 * the order is in it; then the same query with a position long applied (the query's own cost).
 *   node -r @swc-node/register bench/lag-probe.ts '<json: baseUrl, token, customers[], seconds, maxSamples, pauseMs>'
 * Prints one JSON line: the samples.
 */
interface ProbeConfig {
  readonly baseUrl: string;
  readonly token: string;
  readonly customers: string[];
  readonly seconds: number;
  readonly maxSamples: number;
  readonly pauseMs: number;
}

export interface ProbeSample {
  /** Purchase request → acknowledgement. */
  readonly commandMs: number;
  /** Acknowledgement → the read-your-writes query answered with the order in it. */
  readonly visibleMs: number;
  /** The same query for a position long applied: what a read costs without waiting. */
  readonly queryMs: number;
  readonly stale: boolean;
  readonly found: boolean;
}

const now = () => Number(process.hrtime.bigint()) / 1e6;

async function main(): Promise<void> {
  const config = JSON.parse(process.argv[2] ?? '{}') as ProbeConfig;
  const headers = { authorization: `Bearer ${config.token}`, 'content-type': 'application/json' };
  const body = JSON.stringify({ lines: [{ sku: 'WS2025-STD', quantity: 1 }] });
  const samples: ProbeSample[] = [];
  const errors: string[] = [];
  const deadline = now() + config.seconds * 1000;
  let i = 0;
  while (now() < deadline && samples.length < config.maxSamples) {
    const customer = config.customers[i++ % config.customers.length]!;
    const t0 = now();
    const purchase = await fetch(`${config.baseUrl}/v1/customers/${customer}/orders`, { method: 'POST', headers, body });
    const order = (await purchase.json()) as { orderId?: string; position?: string };
    const t1 = now();
    if (purchase.status !== 201 || !order.position || !order.orderId) {
      errors.push(`purchase ${purchase.status}`);
      continue;
    }
    const read = await fetch(`${config.baseUrl}/v1/customers/${customer}/software?atLeast=${order.position}`, { headers });
    const text = await read.text();
    const t2 = now();
    const plain = await fetch(`${config.baseUrl}/v1/customers/${customer}/software?atLeast=1`, { headers });
    await plain.text();
    const t3 = now();
    if (read.status !== 200) errors.push(`software list ${read.status}`);
    samples.push({
      commandMs: t1 - t0,
      visibleMs: t2 - t1,
      queryMs: t3 - t2,
      stale: read.headers.get('x-read-model-stale') === 'true',
      found: text.includes(order.orderId),
    });
    if (config.pauseMs > 0) await new Promise((r) => setTimeout(r, config.pauseMs));
  }
  process.stdout.write(`${JSON.stringify({ samples, errors })}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack}\n`);
  process.exit(1);
});
