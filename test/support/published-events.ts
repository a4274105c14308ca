/**
 * What a back-office receiver of SSE or webhooks checks each delivery against: the committed
 * published schemas (docs/schemas/published/), read as a consumer reads them, with the validator
 * the contract tests use.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { validate, type JsonSchema } from '../../apps/cli/src/docs/json-schema';

const PUBLISHED = resolve(__dirname, '../../docs/schemas/published');
const schemas = new Map<string, JsonSchema | undefined>();
const schema = (file: string) => {
  if (!schemas.has(file)) {
    const path = join(PUBLISHED, file);
    schemas.set(file, existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as JsonSchema) : undefined);
  }
  return schemas.get(file);
};

/** Every way a received event departs from the published envelope and its type's published payload schema; [] when it conforms. */
export function publishedEventProblems(received: unknown): string[] {
  const event = received as { eventId?: unknown; type?: unknown; data?: unknown; metadata?: { schemaVersion?: unknown } };
  const name = `${String(event.type)} ${String(event.eventId)}`;
  const problems = validate(schema('PublishedEvent.json')!, received).map((p) => `${name}: ${p.path || 'the event'} ${p.message}`);
  const file = `${String(event.type)}.v${String(event.metadata?.schemaVersion)}.json`;
  const payload = schema(file);
  if (!payload) return [...problems, `${name}: no published schema ${file}`];
  return [...problems, ...validate(payload, event.data).map((p) => `${name}: data${p.path} ${p.message}`)];
}
