/**
 * A crowd downloading through one link on two API replicas sharing one event store: each download
 * is counted once, never more than the link allows, and a download that kept losing the race for
 * the link's stream is refused with 409 `concurrent_change` (retry the download) rather than
 * counted twice or not at all. Every answer is checked against the served document.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkResponsesAgainstDocument } from '../support/response-contract';
import { client, mintToken, startServer, type HttpResult, type RunningServer } from '../support/server';

jest.setTimeout(180_000);
checkResponsesAgainstDocument('download races');

/** Rounds until a refusal is seen: the race is real, so a round may happen to have no loser. */
const MAX_ROUNDS = 20;
const CROWD = 50;

let replicas: RunningServer[];
let calls: ReturnType<typeof client>[];

beforeAll(async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'csp-downloads-'));
  const secret = `downloads-${randomUUID()}`;
  const env = { KEY_ENCRYPTION_KEY: Buffer.alloc(32, 5).toString('base64') };
  replicas = [await startServer({ dataDir, secret, env }), await startServer({ dataDir, secret, env })];
  calls = replicas.map((r) => client(r.baseUrl));
});

afterAll(async () => {
  await Promise.all((replicas ?? []).map((r) => r.stop()));
});

it('counts each download once, never beyond the link, and tells the losers of the race to retry', async () => {
  const [first, second] = calls as [ReturnType<typeof client>, ReturnType<typeof client>];
  const agent = mintToken(replicas[0]!.secret, { sub: 'agent', tid: randomUUID(), roles: ['admin-agent'] });
  const item = (await first('GET', '/v1/catalog', agent)).body.items.find((i: any) => i.licenseType === 'perpetual' && i.cancellationClass === 'standard');
  const customer = (await first('POST', '/v1/customers', agent, { name: 'Crowd', domain: 'crowd.example', market: 'FR' })).body;
  const selection = { line: 1, version: item.versions[0], language: item.languages[0], fileType: item.fileTypes[0] };
  let refused = 0;
  let rounds = 0;
  while (refused === 0 && rounds < MAX_ROUNDS) {
    rounds++;
    const order = (await first('POST', `/v1/customers/${customer.customerId}/orders`, agent, { lines: [{ sku: item.sku, quantity: 1 }] })).body;
    const link = (await first('POST', `/v1/orders/${order.orderId}/download-links`, agent, selection)).body;
    const path = new URL(link.url).pathname;
    const answers: HttpResult[] = await Promise.all(Array.from({ length: CROWD }, (_, i) => (i % 2 ? second : first)('GET', path)));
    const counted = answers.filter((a) => a.status === 200);
    const losers = answers.filter((a) => a.status === 409);
    expect(counted.length + losers.length).toBe(CROWD);
    for (const loser of losers) expect(loser.body.error.code).toBe('concurrent_change');
    // Each counted download saw its own count: no two got the same remaining number.
    const remaining = counted.map((a) => a.body.downloadsRemaining as number);
    expect(new Set(remaining).size).toBe(remaining.length);
    expect(Math.min(...remaining)).toBe(link.downloadsRemaining - counted.length);
    refused += losers.length;
  }
  console.log(`download races: ${rounds} round(s) of ${CROWD} downloads on 2 replicas, ${refused} refused with concurrent_change in the last`);
  expect(refused).toBeGreaterThan(0);
});
