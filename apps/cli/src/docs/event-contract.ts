import { existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import * as ts from 'typescript';
import { EVENT_SCHEMA_HISTORY, EVENT_TYPES, publishedPayload, WITHHELD_FROM_PUBLISHED, withheldFromPublished, type SchemaChange } from '@csp/domain';
import { exampleEvents, type ExampleEvent } from './examples';
import { validate, type JsonSchema } from './json-schema';

/**
 * Generates the published event contract from the code: docs/events.md, one JSON Schema per
 * event type and schema version under docs/schemas/ (the payload as stored), and the same under
 * docs/schemas/published/ for what SSE and webhooks deliver (the payload without the fields
 * WITHHELD_FROM_PUBLISHED names, and the envelope those channels wrap it in). The event types are
 * read with the TypeScript compiler API from the published event files (PUBLISHED_EVENT_FILES:
 * payload fields, their types and TSDoc, the `@stream` and `@since` tags), the envelope and
 * metadata from libs/event-store/src/port.ts, the published envelope from
 * libs/projections/src/published-event.ts, the schema history from
 * libs/domain/src/schema/event-versions.ts, what is withheld from
 * libs/domain/src/schema/published-events.ts, and the examples are produced by the real deciders
 * (./examples.ts).
 */

const SCHEMA_DIALECT = 'https://json-schema.org/draft/2020-12/schema';
const SCHEMA_ID_BASE = 'https://schemas.csp-software-orders.example/events/';
export const DOC_FILE = 'docs/events.md';
export const SCHEMA_DIR = 'docs/schemas';
/** What SSE and webhooks deliver: a consumer of those channels validates against these. */
export const PUBLISHED_SCHEMA_DIR = `${SCHEMA_DIR}/published`;
const PUBLISHED_ENVELOPE_FILE = 'PublishedEvent.json';

/**
 * The files that declare the published events, in the order of the document: each context's
 * events, then the security kernel's. The webhooks context's events are internal (never published
 * over SSE, webhooks or subscriptions), so they are not here.
 */
const PUBLISHED_EVENT_FILES = [
  'libs/customers/src/customer.events.ts',
  'libs/orders/src/order.events.ts',
  'libs/refunds/src/refund-request.events.ts',
  'libs/domain/src/security/events.ts',
] as const;

/** The repository root: the nearest directory above `from` with package.json and libs/. */
export function findRepositoryRoot(from: string = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'libs'))) return dir;
    if (dirname(dir) === dir) throw new Error(`No repository root above ${from}`);
  }
}

interface EventDeclaration {
  readonly type: string;
  readonly description: string;
  readonly streams: readonly { readonly name: string; readonly note?: string }[];
  readonly dataType: ts.Type;
  readonly file: string;
}

/** A schema under construction: keeps each property's `@since` so older versions can be cut from it. */
type Built = JsonSchema;

class TypeWalker {
  constructor(private readonly checker: ts.TypeChecker) {}

  docOf(symbol: ts.Symbol | undefined): string {
    if (!symbol) return '';
    return ts.displayPartsToString(symbol.getDocumentationComment(this.checker)).replace(/\s*\n\s*/g, ' ').trim();
  }

  tagsOf(symbol: ts.Symbol, name: string): string[] {
    return symbol
      .getJsDocTags(this.checker)
      .filter((t) => t.name === name)
      .map((t) => ts.displayPartsToString(t.text).replace(/\s*\n\s*/g, ' ').trim());
  }

  /** The JSON Schema of a TypeScript type, every object closed (additionalProperties: false). */
  schemaOf(type: ts.Type, where: string): Built {
    const checker = this.checker;
    if (type.flags & ts.TypeFlags.Boolean) return { type: 'boolean' };
    if (type.isUnion()) {
      const members = type.types.filter((t) => !(t.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Void)));
      if (members.length === 1) return this.schemaOf(members[0]!, where);
      if (members.every((t) => t.isStringLiteral())) return { type: 'string', enum: members.map((t) => (t as ts.StringLiteralType).value) };
      if (members.every((t) => t.isNumberLiteral())) return { type: 'number', enum: members.map((t) => (t as ts.NumberLiteralType).value) };
      if (members.every((t) => t.flags & ts.TypeFlags.BooleanLiteral)) return { type: 'boolean' };
      return { oneOf: members.map((t) => this.schemaOf(t, where)) };
    }
    if (type.isStringLiteral()) return { type: 'string', const: type.value };
    if (type.isNumberLiteral()) return { type: 'number', const: type.value };
    if (type.flags & ts.TypeFlags.BooleanLiteral) return { type: 'boolean', const: checker.typeToString(type) === 'true' };
    if (type.flags & ts.TypeFlags.String) return { type: 'string' };
    if (type.flags & ts.TypeFlags.Number) return { type: 'number' };
    // Only the envelope has these: store revisions and positions (64-bit integers), and the payload.
    if (type.flags & ts.TypeFlags.BigInt) return { type: 'integer' };
    if (type.flags & (ts.TypeFlags.Unknown | ts.TypeFlags.Any)) return {};
    if (checker.isArrayType(type)) {
      const [item] = checker.getTypeArguments(type as ts.TypeReference);
      return { type: 'array', items: this.schemaOf(item!, `${where}[]`) };
    }
    if (type.flags & (ts.TypeFlags.Object | ts.TypeFlags.Intersection)) {
      const properties: Record<string, JsonSchema> = {};
      const required: string[] = [];
      for (const property of checker.getPropertiesOfType(type)) {
        const propertyType = checker.getTypeOfSymbol(property);
        const schema = this.schemaOf(propertyType, `${where}.${property.name}`);
        const description = this.docOf(property) || this.docOf(propertyType.aliasSymbol ?? propertyType.getSymbol());
        const since = this.tagsOf(property, 'since').map(Number)[0];
        properties[property.name] = { ...(description ? { description } : {}), ...schema, ...(since !== undefined && since > 1 ? { 'x-since': since } : {}) };
        if (!(property.flags & ts.SymbolFlags.Optional)) required.push(property.name);
      }
      const open = checker.getIndexInfosOfType(type).length > 0;
      return { type: 'object', properties, required, additionalProperties: open };
    }
    throw new Error(`The contract generator cannot describe the type ${checker.typeToString(type)} at ${where}`);
  }
}

/** The schema as it was at `version`: properties that appeared later are left out. */
function atVersion(schema: JsonSchema, version: number): JsonSchema {
  const copy: JsonSchema = { ...schema };
  if (schema.properties) {
    const kept = Object.entries(schema.properties).filter(([, s]) => (s['x-since'] ?? 1) <= version);
    copy.properties = Object.fromEntries(kept.map(([k, s]) => [k, atVersion(s, version)]));
    if (schema.required) copy.required = schema.required.filter((k) => kept.some(([name]) => name === k));
  }
  if (schema.items) copy.items = atVersion(schema.items, version);
  if (schema.oneOf) copy.oneOf = schema.oneOf.map((s) => atVersion(s, version));
  return copy;
}

/** Reads the contract's types from the sources. */
function readSources(root: string) {
  const eventFiles = PUBLISHED_EVENT_FILES.map((file) => join(root, file));
  const portFile = join(root, 'libs/event-store/src/port.ts');
  const publishedFile = join(root, 'libs/projections/src/published-event.ts');
  const base = ts.readConfigFile(join(root, 'tsconfig.base.json'), (f) => ts.sys.readFile(f));
  const { options } = ts.parseJsonConfigFileContent(base.config, ts.sys, root);
  const program = ts.createProgram([...eventFiles, portFile, publishedFile], { ...options, noEmit: true, types: [] });
  const checker = program.getTypeChecker();
  const walker = new TypeWalker(checker);

  const events: EventDeclaration[] = [];
  for (const file of eventFiles) {
    const source = program.getSourceFile(file)!;
    for (const statement of source.statements) {
      if (!ts.isTypeAliasDeclaration(statement) || !ts.isTypeReferenceNode(statement.type)) continue;
      const reference = statement.type;
      if (reference.typeName.getText(source) !== 'DomainEvent' || reference.typeArguments?.length !== 2) continue;
      const [typeName, dataNode] = reference.typeArguments;
      if (!typeName || !ts.isLiteralTypeNode(typeName) || !ts.isStringLiteral(typeName.literal)) continue;
      const symbol = checker.getSymbolAtLocation(statement.name)!;
      const type = typeName.literal.text;
      if (type !== statement.name.text) throw new Error(`${relative(root, file)}: the type ${statement.name.text} declares the event type '${type}'; name them alike`);
      const streams = walker.tagsOf(symbol, 'stream').map((text) => {
        const [name, ...note] = text.split(/\s+—\s+/);
        return { name: name!.trim(), ...(note.length ? { note: note.join(' — ') } : {}) };
      });
      if (streams.length === 0) throw new Error(`${relative(root, file)}: ${type} has no @stream tag`);
      const description = walker.docOf(symbol);
      if (!description) throw new Error(`${relative(root, file)}: ${type} has no TSDoc comment saying what it means`);
      events.push({ type, description, streams, dataType: checker.getTypeFromTypeNode(dataNode!), file: relative(root, file) });
    }
  }
  const interfaceType = (file: string, name: string) => {
    const declaration = program.getSourceFile(file)!.statements.find((s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === name);
    if (!declaration) throw new Error(`${relative(root, file)} has no interface ${name}`);
    return checker.getTypeAtLocation(declaration.name);
  };
  const metadataType = interfaceType(portFile, 'EventMetadata');
  const otherKeys = checker.getIndexInfosOfType(metadataType)[0]?.declaration;
  const otherKeysDoc = otherKeys ? ts.getJSDocCommentsAndTags(otherKeys).map((d) => (ts.isJSDoc(d) ? (ts.getTextOfJSDocComment(d.comment) ?? '') : '')).join(' ').replace(/\s*\n\s*/g, ' ').trim() : '';
  return {
    walker,
    events,
    metadataType,
    otherKeysDoc,
    recordedType: interfaceType(portFile, 'RecordedEvent'),
    publishedType: interfaceType(publishedFile, 'PublishedEvent'),
  };
}

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
const schemaFile = (type: string, version: number) => `${type}.v${version}.json`;
const code = (text: string) => `\`${text}\``;
const cell = (text: string) => text.replace(/\|/g, '\\|');

/** A TypeScript-like rendering of a schema, for the tables. */
function typeText(schema: JsonSchema): string {
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  if (schema.enum) return schema.enum.map((v) => JSON.stringify(v)).join(' | ');
  if (schema.oneOf) return schema.oneOf.map(typeText).join(' | ');
  if (schema.type === 'array') return `${schema.items ? typeText(schema.items) : 'unknown'}[]`;
  if (schema.type === 'object') {
    const discriminant = schema.properties?.type?.const;
    return discriminant !== undefined ? `object (type ${JSON.stringify(discriminant)})` : 'object';
  }
  return schema.type ?? 'unknown';
}

interface Row {
  readonly path: string;
  readonly type: string;
  readonly required: boolean;
  readonly since: number;
  readonly description: string;
}

/** One row per field, nested fields as `a.b`, array items as `a[].b`, union shapes one after the other. */
function rows(schema: JsonSchema, prefix = '', inheritedSince = 1): Row[] {
  const out: Row[] = [];
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    const path = `${prefix}${name}`;
    const since = Math.max(inheritedSince, property['x-since'] ?? 1);
    out.push({ path, type: typeText(property), required: schema.required?.includes(name) ?? false, since, description: property.description ?? '' });
    out.push(...nested(property, path, since));
  }
  return out;
}

function nested(schema: JsonSchema, path: string, since: number): Row[] {
  if (schema.type === 'object' && schema.properties) return rows(schema, `${path}.`, since);
  if (schema.type === 'array' && schema.items) return nested(schema.items, `${path}[]`, since);
  if (schema.oneOf) {
    return schema.oneOf.flatMap((variant) => {
      const discriminant = Object.entries(variant.properties ?? {}).find(([, s]) => s.const !== undefined);
      const fields = nested(variant, path, since);
      if (!discriminant) return fields;
      const [name, s] = discriminant;
      const when = `When \`${path}.${name}\` is \`${JSON.stringify(s.const)}\`.`;
      return fields.map((r) => (r.path === `${path}.${name}` ? { ...r, description: r.description || `Which shape \`${path}\` has.` } : { ...r, description: `${when} ${r.description}`.trim() }));
    });
  }
  return [];
}

function table(fields: readonly Row[], withSince: boolean): string {
  const header = withSince ? '| Field | Type | Required | Since | Meaning |\n| --- | --- | --- | --- | --- |' : '| Field | Type | Required | Meaning |\n| --- | --- | --- | --- |';
  const lines = fields.map((r) =>
    withSince
      ? `| ${code(r.path)} | ${cell(code(r.type))} | ${r.required ? 'yes' : 'no'} | v${r.since} | ${cell(r.description)} |`
      : `| ${code(r.path)} | ${cell(code(r.type))} | ${r.required ? 'yes' : 'no'} | ${cell(r.description)} |`,
  );
  return [header, ...lines].join('\n');
}

function eventSchema(event: EventDeclaration, payload: JsonSchema, version: number): JsonSchema {
  const schema = atVersion(payload, version);
  const withheld = Object.keys(withheldFromPublished(event.type));
  const published = withheld.length
    ? ` As stored, and as KurrentDB persistent subscriptions deliver it; SSE and webhooks withhold ${withheld.map(code).join(', ')} (published/${schemaFile(event.type, version)}).`
    : '';
  return {
    $schema: SCHEMA_DIALECT,
    $id: `${SCHEMA_ID_BASE}${schemaFile(event.type, version)}`,
    title: `${event.type} payload, schema version ${version}`,
    description: `The \`data\` of a ${event.type} event whose metadata.schemaVersion is ${version}.${published} ${event.description}`,
    ...schema,
  };
}

/**
 * The payload of `event` at `version` as SSE and webhooks publish it: the stored schema without the
 * withheld fields. Still closed (additionalProperties: false), so a receiver's validator also
 * rejects a delivery that carried a withheld field.
 */
function publishedEventSchema(event: EventDeclaration, payload: JsonSchema, version: number): JsonSchema {
  const withheld = withheldFromPublished(event.type);
  const names = Object.keys(withheld);
  const schema = atVersion(payload, version);
  const what = names.length
    ? `Withheld (present in the stored event, never sent over these channels): ${names.map((name) => `\`${name}\` — ${withheld[name]}`).join('; ')}`
    : 'Nothing is withheld: the payload is sent as stored.';
  return {
    $schema: SCHEMA_DIALECT,
    $id: `${SCHEMA_ID_BASE}published/${schemaFile(event.type, version)}`,
    title: `${event.type} payload as SSE and webhooks publish it, schema version ${version}`,
    description: `The \`data\` of a ${event.type} event received over SSE (GET /v1/events) or a webhook, whose metadata.schemaVersion is ${version}. ${what} ${event.description}`,
    ...schema,
    properties: Object.fromEntries(Object.entries(schema.properties ?? {}).filter(([name]) => !names.includes(name))),
    required: (schema.required ?? []).filter((name) => !names.includes(name)),
  };
}

/** A withheld field that is not in its event's payload is a rule that protects nothing: refuse it. */
function checkWithheldFields(events: readonly EventDeclaration[], payloads: ReadonlyMap<string, JsonSchema>): void {
  for (const [type, fields] of Object.entries(WITHHELD_FROM_PUBLISHED)) {
    const event = events.find((e) => e.type === type);
    for (const field of Object.keys(fields ?? {})) {
      if (!event || !payloads.get(type)?.properties?.[field]) {
        throw new Error(`libs/domain/src/schema/published-events.ts withholds ${type}.${field}, which ${event ? event.file : 'the contract'} does not declare`);
      }
    }
  }
}

/** Every generated file, by path relative to the repository root. */
export function generateEventContract(root: string = findRepositoryRoot()): Map<string, string> {
  const { walker, events, metadataType, otherKeysDoc, recordedType, publishedType } = readSources(root);
  const found = events.map((e) => e.type);
  const missing = EVENT_TYPES.filter((t) => !found.includes(t));
  const unversioned = found.filter((t) => !(EVENT_TYPES as readonly string[]).includes(t));
  if (missing.length || unversioned.length) {
    throw new Error(
      `The event types in the code and libs/domain/src/schema/event-versions.ts disagree: ${[...missing.map((t) => `${t} has no DomainEvent type`), ...unversioned.map((t) => `${t} has no schema history`)].join('; ')}`,
    );
  }
  const ordered = EVENT_TYPES.map((t) => events.find((e) => e.type === t)!);
  const examples = exampleEvents(root);
  const files = new Map<string, string>();

  const metadataSchema: JsonSchema = {
    $schema: SCHEMA_DIALECT,
    $id: `${SCHEMA_ID_BASE}EventMetadata.json`,
    title: 'Event metadata',
    description: 'The metadata every event carries, whatever its type.',
    ...walker.schemaOf(metadataType, 'EventMetadata'),
  };
  files.set(`${SCHEMA_DIR}/EventMetadata.json`, json(metadataSchema));
  const publishedEnvelope: JsonSchema = {
    $schema: SCHEMA_DIALECT,
    $id: `${SCHEMA_ID_BASE}published/${PUBLISHED_ENVELOPE_FILE}`,
    title: 'Published event',
    description: `An event as SSE (the data of each frame of GET /v1/events) and webhooks (the body of each delivery) publish it. Its data is described by published/<type>.v<metadata.schemaVersion>.json.`,
    ...walker.schemaOf(publishedType, 'PublishedEvent'),
  };
  files.set(`${PUBLISHED_SCHEMA_DIR}/${PUBLISHED_ENVELOPE_FILE}`, json(publishedEnvelope));

  const payloads = new Map(ordered.map((event) => [event.type, walker.schemaOf(event.dataType, event.type)]));
  checkWithheldFields(ordered, payloads);
  const sections: string[] = [];
  for (const event of ordered) {
    const payload = payloads.get(event.type)!;
    const history: readonly SchemaChange[] = EVENT_SCHEMA_HISTORY[event.type as keyof typeof EVENT_SCHEMA_HISTORY];
    const current = history[history.length - 1]!.version;
    for (const { version } of history) {
      files.set(`${SCHEMA_DIR}/${schemaFile(event.type, version)}`, json(eventSchema(event, payload, version)));
      files.set(`${PUBLISHED_SCHEMA_DIR}/${schemaFile(event.type, version)}`, json(publishedEventSchema(event, payload, version)));
    }
    const example = examples.get(event.type);
    if (!example) throw new Error(`The example scenario produces no ${event.type}`);
    const mismatch = (schema: JsonSchema, data: unknown, which: string) => {
      const problems = validate(schema, data);
      if (problems.length) throw new Error(`The ${event.type} example does not match its ${which} schema: ${problems.map((p) => `${p.path} ${p.message}`).join('; ')}`);
    };
    mismatch(eventSchema(event, payload, current), example.data, 'stored');
    mismatch(publishedEventSchema(event, payload, current), publishedPayload(event.type, example.data), 'published');
    sections.push(eventSection(event, payload, history, example));
  }

  files.set(DOC_FILE, document(ordered, sections, walker.schemaOf(recordedType, 'RecordedEvent'), metadataSchema, otherKeysDoc, examples, publishedEnvelope));
  return files;
}

const WITHHELD_ANCHOR = '#withheld-from-sse-and-webhooks';

function eventSection(event: EventDeclaration, payload: JsonSchema, history: readonly SchemaChange[], example: ExampleEvent): string {
  const current = history[history.length - 1]!.version;
  const withheld = Object.keys(withheldFromPublished(event.type));
  const fields = rows(payload).map((r) =>
    withheld.includes(r.path) ? { ...r, description: `${r.description} Withheld from SSE and webhooks ([why](${WITHHELD_ANCHOR})).`.trim() } : r,
  );
  const streams = event.streams.map((s) => `${code(s.name)}${s.note ? ` — ${s.note}` : ''}`).join('<br>');
  const parts = [
    `## ${event.type}`,
    event.description,
    [
      '| | |',
      '| --- | --- |',
      `| Stream | ${streams} |`,
      `| Schema version | ${current}${history.length > 1 ? ` (earlier: ${history.slice(0, -1).map((h) => `v${h.version}`).join(', ')}; see [versions](#${event.type.toLowerCase()}-versions))` : ''} |`,
      `| JSON Schema, as stored | ${history.map((h) => `[${schemaFile(event.type, h.version)}](schemas/${schemaFile(event.type, h.version)})`).join(', ')} |`,
      `| JSON Schema, as SSE and webhooks publish it | ${history.map((h) => `[published/${schemaFile(event.type, h.version)}](schemas/published/${schemaFile(event.type, h.version)})`).join(', ')}${withheld.length ? ` (without ${withheld.map(code).join(', ')})` : ' (the same payload)'} |`,
      `| Declared in | ${code(event.file)} |`,
    ].join('\n'),
    '### Payload (`data`)',
    table(fields, history.length > 1),
    '### Example',
    '```json\n' + JSON.stringify(example, null, 2) + '\n```',
  ];
  if (withheld.length) {
    parts.push(
      '### As SSE and webhooks publish it',
      `The example's \`data\` as a receiver of SSE or a webhook gets it, without ${withheld.map(code).join(', ')} ([why](${WITHHELD_ANCHOR})), inside the [published envelope](#receiving-events-sse-webhooks-persistent-subscriptions):`,
      '```json\n' + JSON.stringify(publishedPayload(event.type, example.data), null, 2) + '\n```',
    );
  }
  if (history.length > 1) {
    parts.push(
      `### ${event.type} versions`,
      ['| Version | Change |', '| --- | --- |', ...history.map((h) => `| ${h.version} | ${cell(h.change)} |`)].join('\n'),
    );
  }
  return parts.join('\n\n');
}

/** Which schema a consumer validates what it receives against, channel by channel, and what SSE and webhooks withhold. */
function receiving(events: readonly EventDeclaration[], published: JsonSchema): string[] {
  const envelope = rows({ ...published, properties: Object.fromEntries(Object.entries(published.properties ?? {}).filter(([name]) => name !== 'metadata')) });
  const withheld = events.flatMap((e) => Object.entries(withheldFromPublished(e.type)).map(([field, why]) => `| [${e.type}](#${e.type.toLowerCase()}) | ${code(field)} | ${cell(why)} |`));
  return [
    '## Receiving events: SSE, webhooks, persistent subscriptions',
    'What a back-office service receives, and the schema it validates it against, depend on the channel:',
    [
      '| Channel | What arrives | Envelope | Payload (`data`) | Schema version |',
      '| --- | --- | --- | --- | --- |',
      `| SSE: \`GET /v1/events\` | One published event per frame: the frame's \`data:\` is its JSON, its \`id:\` the event's \`position\` | [published/${PUBLISHED_ENVELOPE_FILE}](schemas/published/${PUBLISHED_ENVELOPE_FILE}) | \`schemas/published/<type>.v<schemaVersion>.json\` | current |`,
      `| Webhooks: \`POST /v1/webhooks\` | One published event per delivery: the body of the POST, signed (\`X-CSP-Signature\`) | [published/${PUBLISHED_ENVELOPE_FILE}](schemas/published/${PUBLISHED_ENVELOPE_FILE}) | \`schemas/published/<type>.v<schemaVersion>.json\` | current |`,
      '| KurrentDB persistent subscription: stream `$ce-order`, group `back-office` | The events of the order streams as stored, from the KurrentDB client (`resolved.event`: `id`, `type`, `streamId`, `revision`, `data`, `metadata`) | The client\'s, not the published envelope | `schemas/<type>.v<schemaVersion>.json`: as stored, nothing withheld | as stored |',
    ].join('\n'),
    'SSE and webhooks publish every event on this page (the order, customer-registry, refund-request and key-access-throttling streams; the webhooks’ own events are internal), each at its current schema version: they read the store through the upcasting step, so an event stored under an older version arrives upcast, with the stored version in `metadata.upcastFrom`. The published schemas of earlier versions are kept for deliveries a receiver archived before a version changed. Each published schema is the stored one without the withheld fields, closed like it (`additionalProperties: false`): a receiver that validates rejects a delivery that carries a withheld field.',
    `The published envelope ([schemas/published/${PUBLISHED_ENVELOPE_FILE}](schemas/published/${PUBLISHED_ENVELOPE_FILE}); \`metadata\` as in [Envelope and metadata](#envelope-and-metadata)):`,
    table(envelope, false),
    '### Withheld from SSE and webhooks',
    'One rule (`WITHHELD_FROM_PUBLISHED`, `libs/domain/src/schema/published-events.ts`) says what leaves the service over SSE and webhooks: the delivery code applies it to every event, and this page and `docs/schemas/published/` are generated from it.',
    ['| Event | Field | Why |', '| --- | --- | --- |', ...withheld].join('\n'),
    '### Persistent subscriptions read the store',
    'A persistent-subscription consumer (KurrentDB installs: `libs/event-store/src/kurrentdb/README.md`, the example consumer `libs/event-store/src/kurrentdb/examples/back-office-consumer.ts`) is a client of the event store itself. It receives the events of the order streams exactly as they were stored: ProductKeyAssigned with `material`, the product key’s ciphertext (never the plain key, which takes the service’s key-encryption key), and every event under the version it was stored with (the example consumer reads each delivery through the product’s upcasters, `backOfficeEventOf`, and then sees the current version). Validate its `data` against `schemas/<type>.v<schemaVersion>.json` of the version it has. Access to the store is access to everything it holds: give store credentials only to services trusted with the ciphertext, and SSE or webhooks to the others.',
  ];
}

function document(
  events: readonly EventDeclaration[],
  sections: readonly string[],
  recorded: JsonSchema,
  metadata: JsonSchema,
  otherKeys: string,
  examples: Map<string, ExampleEvent>,
  published: JsonSchema,
): string {
  const envelope = rows({ ...recorded, properties: Object.fromEntries(Object.entries(recorded.properties ?? {}).filter(([name]) => name !== 'metadata')) }).filter((r) => !r.path.startsWith('position.'));
  const streams = new Map<string, string[]>();
  for (const event of events) for (const s of event.streams) streams.set(s.name, [...(streams.get(s.name) ?? []), event.type]);
  const anchor = (type: string) => `#${type.toLowerCase()}`;
  const head = [
    '# Event contract',
    '> Generated by `npm run docs:events` from the code: the event types in the files listed in `apps/cli/src/docs/event-contract.ts` (`PUBLISHED_EVENT_FILES`) and their TSDoc, the envelope and metadata in `libs/event-store/src/port.ts`, the published envelope in `libs/projections/src/published-event.ts`, the schema history in `libs/domain/src/schema/event-versions.ts`, what SSE and webhooks withhold in `libs/domain/src/schema/published-events.ts`; the examples are produced by the real deciders. Do not edit by hand: `test/contract/event-docs.spec.ts` fails when this file or `docs/schemas/` (with `docs/schemas/published/`) differ from what the code generates.',
    'Every change to the product is an event, named in the past tense and appended to the stream of what it concerns. Events are the contract with back-office services (billing, fraud, CRM) and with auditors: this page says what each one means, where it lives, its payload and its schema version.',
    '## Contents',
    [
      '- [Envelope and metadata](#envelope-and-metadata)',
      '- [Streams](#streams)',
      '- [Receiving events: SSE, webhooks, persistent subscriptions](#receiving-events-sse-webhooks-persistent-subscriptions)',
      '- [Versions and upcasting](#versions-and-upcasting)',
      ...events.map((e) => `- [${e.type}](${anchor(e.type)})`),
    ].join('\n'),
    '## Envelope and metadata',
    'A stored event is an envelope around its payload (`data`). The store assigns the stream revision, the global position and the recording time; the service writes the rest.',
    table(envelope, false),
    `Every event carries this metadata ([schemas/EventMetadata.json](schemas/EventMetadata.json)). The event id is on the envelope (\`eventId\`, a UUID; appending the same ids to the same stream again is idempotent).`,
    table(rows(metadata), false) + (otherKeys ? `\n| *other keys* | | no | ${cell(otherKeys)} |` : ''),
    'Example (the metadata of the DownloadLinkIssued example below):',
    '```json\n' + JSON.stringify(examples.get('DownloadLinkIssued')!.metadata, null, 2) + '\n```',
    '## Streams',
    ['| Stream | Events |', '| --- | --- |', ...[...streams].map(([name, types]) => `| ${code(name)} | ${types.map((t) => `[${t}](${anchor(t)})`).join(', ')} |`)].join('\n'),
    'The events one command produces are appended to their stream together, in one commit: a first reveal gives ProductKeyAssigned then ProductKeyRevealed; a cancellation gives OrderCancelled, ProductKeysRevoked and DownloadLinksRevoked (when there are keys or links) and one CreditIssued per cancelled line with a credit; an approval gives RefundRequestApproved then CreditIssued (in the stream of the order the request names, else in the request’s own). The global position orders all events of all streams.',
    ...receiving(events, published),
    '## Versions and upcasting',
    [
      "Each event type has a schema version, written into every event's `metadata.schemaVersion`. A payload that changes shape gets the next version, and `docs/schemas/` keeps one JSON Schema per type and version (`<EventType>.v<version>.json`, draft 2020-12, every object closed with `additionalProperties: false`): the payload as stored. `docs/schemas/published/` holds the same set for the payload as SSE and webhooks publish it ([Receiving events](#receiving-events-sse-webhooks-persistent-subscriptions)).",
      '',
      'Stored events are never rewritten. The product reads every event through one upcasting step (`libs/application/src/upcasting`, applied where the event store is opened): an event stored under an older version is turned into the current shape before the command side or the projections see it, and its metadata then says the current `schemaVersion` with the stored one in `upcastFrom`.',
      '',
      'Consumers that read the event store directly (for example the back-office persistent subscription on KurrentDB) receive events as they were stored: they must accept every version of the types they consume, or apply the same upcasters (listed in each section under *Versions*).',
      '',
      '| Event | Current version | Schemas, as stored | Schemas, as SSE and webhooks publish it |',
      '| --- | --- | --- | --- |',
      ...events.map((e) => {
        const history: readonly SchemaChange[] = EVENT_SCHEMA_HISTORY[e.type as keyof typeof EVENT_SCHEMA_HISTORY];
        const links = (dir: string) => history.map((h) => `[v${h.version}](${dir}${schemaFile(e.type, h.version)})`).join(', ');
        return `| [${e.type}](${anchor(e.type)}) | ${history[history.length - 1]!.version} | ${links('schemas/')} | ${links('schemas/published/')} |`;
      }),
    ].join('\n'),
  ];
  return `${[...head, ...sections].join('\n\n')}\n`;
}
