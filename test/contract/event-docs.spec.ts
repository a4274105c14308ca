/**
 * The published event contract stays true to the code: docs/events.md, docs/schemas/ and
 * docs/schemas/published/ are what the generator makes from the code today (CI catches drift),
 * real events produced by the deciders conform to the schemas of their type and version, and the
 * same events as SSE and webhooks publish them conform to the published schemas.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EVENT_SCHEMA_HISTORY, EVENT_TYPES, WITHHELD_FROM_PUBLISHED } from '@csp/domain';
import {
  decideRefundRequest,
  evolveRefundRequest,
  initialRefundRequestState,
  withoutRefundDecisions,
  type RefundRequestCommand,
  type RefundRequestState,
} from '@csp/refunds';
import { type EventStore, type RecordedEvent } from '@csp/event-store';
import { openSqliteEventStore } from '@csp/event-store/sqlite';
import { publishedEvent } from '@csp/projections';
import { DOC_FILE, findRepositoryRoot, generateEventContract, PUBLISHED_SCHEMA_DIR, SCHEMA_DIR } from '../../apps/cli/src/docs/event-contract';
import { validate, type JsonSchema } from '../../apps/cli/src/docs/json-schema';
import { upcastingEventStore } from '../../libs/application/src/upcasting';
import { ORDER_ID } from '../../libs/domain/src/testing/fixtures';
import { history, purchase, stateOf } from '../../libs/orders/src/testing/orders';
import { generateHistory } from '../support/history';
import { publishedEventProblems } from '../support/published-events';

const root = findRepositoryRoot(__dirname);
const generated = generateEventContract(root);
const committed = (path: string) => readFileSync(join(root, path), 'utf8');
const schema = (file: string) => JSON.parse(committed(`${SCHEMA_DIR}/${file}`)) as JsonSchema;
const payloadSchema = (type: string, version: number) => schema(`${type}.v${version}.json`);
const metadataSchema = schema('EventMetadata.json');
const publishedSchema = (type: string, version: number) => schema(`published/${type}.v${version}.json`);
/** An event as a receiver parses it off the wire: what publishedEvent makes of it, through JSON. */
const delivered = (event: RecordedEvent): unknown => JSON.parse(JSON.stringify(publishedEvent(event)));

function conforms(event: Pick<RecordedEvent, 'type' | 'data' | 'metadata' | 'eventId'>): string[] {
  const problems = [
    ...validate(payloadSchema(event.type, event.metadata.schemaVersion), event.data).map((p) => `data${p.path} ${p.message}`),
    ...validate(metadataSchema, event.metadata).map((p) => `metadata${p.path} ${p.message}`),
  ];
  return problems.map((p) => `${event.type} ${event.eventId} (v${event.metadata.schemaVersion}): ${p}`);
}

describe('the published event contract', () => {
  it('docs/events.md is what `npm run docs:events` generates from the code', () => {
    expect(committed(DOC_FILE)).toBe(generated.get(DOC_FILE));
  });

  it('docs/schemas and docs/schemas/published hold exactly the generated schemas, byte for byte', () => {
    const onDisk = readdirSync(join(root, SCHEMA_DIR), { recursive: true, encoding: 'utf8' })
      .map((f) => `${SCHEMA_DIR}/${f}`)
      .filter((p) => p !== PUBLISHED_SCHEMA_DIR)
      .sort();
    expect(onDisk).toEqual([...generated.keys()].filter((p) => p.startsWith(`${SCHEMA_DIR}/`)).sort());
    for (const path of onDisk) expect({ path, content: committed(path) }).toEqual({ path, content: generated.get(path) });
  });

  it('documents every event type with its meaning, stream, payload, example and every schema version', () => {
    const doc = generated.get(DOC_FILE)!;
    expect(EVENT_TYPES).toHaveLength(15);
    for (const type of EVENT_TYPES) {
      const section = doc.slice(doc.indexOf(`\n## ${type}\n`));
      expect(section).toMatch(/\| Stream \| `(order|customers|refundRequest|keyAccessThrottling)-</);
      expect(section).toContain('### Payload (`data`)');
      expect(section).toContain('### Example');
      for (const { version } of EVENT_SCHEMA_HISTORY[type]) {
        expect(generated.has(`${SCHEMA_DIR}/${type}.v${version}.json`)).toBe(true);
        expect(generated.has(`${PUBLISHED_SCHEMA_DIR}/${type}.v${version}.json`)).toBe(true);
      }
    }
    for (const field of ['occurredAt', 'actor', 'tenantId', 'partnerTenantId', 'correlationId', 'causationId', 'schemaVersion', 'eventId'])
      expect(doc).toContain(`| \`${field}\` |`);
  });

  it('the published schemas leave out exactly what SSE and webhooks withhold: ProductKeyAssigned without material', () => {
    expect(payloadSchema('ProductKeyAssigned', 1).required).toContain('material');
    expect(publishedSchema('ProductKeyAssigned', 1).properties).not.toHaveProperty('material');
    expect(publishedSchema('ProductKeyAssigned', 1).required).not.toContain('material');
    expect(publishedSchema('ProductKeyAssigned', 1).additionalProperties).toBe(false);
    for (const type of EVENT_TYPES) {
      for (const { version } of EVENT_SCHEMA_HISTORY[type]) {
        const withheld = Object.keys(WITHHELD_FROM_PUBLISHED[type] ?? {});
        const stored = Object.keys(payloadSchema(type, version).properties ?? {});
        expect({ type, version, fields: Object.keys(publishedSchema(type, version).properties ?? {}) }).toEqual({
          type,
          version,
          fields: stored.filter((field) => !withheld.includes(field)),
        });
      }
    }
    const doc = generated.get(DOC_FILE)!;
    expect(doc).toContain('| [ProductKeyAssigned](#productkeyassigned) | `material` |');
    expect(doc).toContain('schemas/published/<type>.v<schemaVersion>.json');
  });

  it('DownloadLinkIssued v1 has no maxDownloads; v2 requires it', () => {
    expect(payloadSchema('DownloadLinkIssued', 1).properties).not.toHaveProperty('maxDownloads');
    expect(payloadSchema('DownloadLinkIssued', 2).required).toContain('maxDownloads');
  });
});

describe('real events conform to the schemas', () => {
  let store: EventStore;
  let events: RecordedEvent[];
  beforeAll(async () => {
    store = openSqliteEventStore({ file: join(mkdtempSync(join(tmpdir(), 'csp-contract-')), 'events.sqlite') });
    await generateHistory(store, { partners: 2, customersPerPartner: 4, ordersPerCustomer: 12, seed: 7 });
    events = [];
    for (let page = await store.readAll({ maxCount: 1000 }); page.length > 0; page = await store.readAll({ after: page.at(-1)!.position, maxCount: 1000 }))
      events.push(...page);
  });
  afterAll(() => store.close());

  it('every event of a generated history (the real deciders) matches the schema of its type and stored version', () => {
    const types = new Set(events.map((e) => e.type));
    // What the generated history does not produce: refund requests (decided in a test below), destroyed key material, throttling.
    const notGenerated = new Set([
      'CustomerKeyMaterialDestroyed',
      'RefundRequestSubmitted',
      'RefundRequestApproved',
      'RefundRequestRejected',
      'KeyAccessThrottled',
    ]);
    for (const type of EVENT_TYPES.filter((t) => !notGenerated.has(t))) expect(types).toContain(type);
    expect(events.flatMap(conforms)).toEqual([]);
  });

  it('the same events as SSE and webhooks publish them match the published schemas, and no key material is among them', () => {
    const published = events.map(delivered);
    expect(published.flatMap(publishedEventProblems)).toEqual([]);
    const assigned = published.filter((e) => (e as { type: string }).type === 'ProductKeyAssigned');
    expect(assigned.length).toBeGreaterThan(0);
    for (const e of assigned) expect((e as { data: object }).data).not.toHaveProperty('material');
    // Validation is what catches a leak: the stored payload is refused by the published schema.
    const stored = events.find((e) => e.type === 'ProductKeyAssigned')!;
    expect(publishedEventProblems({ ...(delivered(stored) as object), data: stored.data })).toEqual([expect.stringMatching(/data\/material is not allowed/)]);
  });

  it('events read through the upcasting store match the current schemas', async () => {
    const read = await upcastingEventStore(store).readAll({ maxCount: 100_000 });
    expect(read.flatMap(conforms)).toEqual([]);
    const link = read.find((e) => e.type === 'DownloadLinkIssued')!;
    expect(link.metadata.schemaVersion).toBe(2);
  });

  it('refund requests, approved (with the credit) or rejected, and with or without optional fields, match', () => {
    const actor = { sub: 'agent', tid: '11111111-1111-4111-8111-111111111111', roles: ['admin-agent'] };
    // The order r1 names (100,000 USD); its decision would be appended to that order's stream.
    const order = withoutRefundDecisions(stateOf(history(purchase())));
    const run = (commands: RefundRequestCommand[]) => {
      let state: RefundRequestState = initialRefundRequestState;
      return commands.flatMap((command) => {
        const decided = decideRefundRequest(command, state, order);
        state = decided.reduce(evolveRefundRequest, state);
        return decided;
      });
    };
    const submit = (refundRequestId: string, extra: Record<string, unknown>): RefundRequestCommand => ({
      type: 'SubmitRefundRequest',
      data: {
        refundRequestId,
        partnerTenantId: actor.tid,
        reason: 'disputed',
        amountRequested: { amount: 1200, currency: 'EUR' },
        contact: { name: 'A', email: 'a@example.com', phone: '1' },
        attachments: [],
        ...extra,
      },
      metadata: { actor, now: '2026-03-02T10:00:00.000Z' },
    });
    const decided = [
      ...run([
        submit('r1', { domain: 'contoso.example', orderId: ORDER_ID, amountRequested: { amount: 1200 } }),
        { type: 'ApproveRefundRequest', data: { refundRequestId: 'r1' }, metadata: { actor, now: '2026-03-03T10:00:00.000Z' } },
      ]),
      ...run([
        submit('r2', { customerTenantId: 't', customerId: 'c', subscriptionId: 's', attachments: ['a.pdf'] }),
        { type: 'ApproveRefundRequest', data: { refundRequestId: 'r2', amount: 5, note: 'partial' }, metadata: { actor, now: '2026-03-03T10:00:00.000Z' } },
      ]),
      ...run([
        submit('r3', { domain: 'x.example', subscriptionId: 's' }),
        { type: 'RejectRefundRequest', data: { refundRequestId: 'r3', reason: 'no' }, metadata: { actor, now: '2026-03-03T10:00:00.000Z' } },
      ]),
    ];
    expect(decided.map((e) => e.type)).toEqual([
      'RefundRequestSubmitted',
      'RefundRequestApproved',
      'CreditIssued',
      'RefundRequestSubmitted',
      'RefundRequestApproved',
      'CreditIssued',
      'RefundRequestSubmitted',
      'RefundRequestRejected',
    ]);
    for (const event of decided) expect(validate(payloadSchema(event.type, 1), event.data)).toEqual([]);
  });

  it('the validator refuses what the schemas forbid: extra fields, missing fields, wrong types and values', () => {
    const download = events.find((e) => e.type === 'SoftwareDownloaded')!.data as Record<string, unknown>;
    const v1 = payloadSchema('SoftwareDownloaded', 1);
    expect(validate(v1, { ...download, secret: 'x' })).toEqual([{ path: '/secret', message: 'is not allowed (additionalProperties: false)' }]);
    const { linkId: _linkId, ...withoutLink } = download;
    expect(validate(v1, withoutLink)).toEqual([{ path: '/linkId', message: 'is required' }]);
    expect(validate(v1, { ...download, line: '1' })).toEqual([{ path: '/line', message: 'must be of type number, is string' }]);
    expect(validate(v1, { ...download, client: { ...(download.client as object), via: 'x' } })).toEqual([
      { path: '/client/via', message: 'is not allowed (additionalProperties: false)' },
    ]);
    const purchase = events.find((e) => e.type === 'SoftwarePurchased')!.data as { lines: Record<string, unknown>[] };
    const badLine = { ...purchase, lines: [{ ...purchase.lines[0], licenseType: 'lease' }] };
    expect(validate(payloadSchema('SoftwarePurchased', 1), badLine)).toEqual([
      { path: '/lines/0/licenseType', message: 'must be one of "perpetual", "subscription"' },
    ]);
    const credit = events.find((e) => e.type === 'CreditIssued')!.data as Record<string, unknown>;
    expect(validate(payloadSchema('CreditIssued', 1), { ...credit, source: { type: 'gift' } })[0]).toEqual(expect.objectContaining({ path: '/source' }));
    const link = events.find((e) => e.type === 'DownloadLinkIssued')!.data as Record<string, unknown>;
    const { maxDownloads: _max, ...v1Link } = link;
    expect(validate(payloadSchema('DownloadLinkIssued', 1), v1Link)).toEqual([]);
    expect(validate(payloadSchema('DownloadLinkIssued', 2), v1Link)).toEqual([{ path: '/maxDownloads', message: 'is required' }]);
    expect(validate(payloadSchema('DownloadLinkIssued', 1), link)).toEqual([
      { path: '/maxDownloads', message: 'is not allowed (additionalProperties: false)' },
    ]);
  });
});
