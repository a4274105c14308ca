/**
 * Every answer a scenario receives, checked against the OpenAPI document the service itself serves
 * at /docs/openapi.json (what a client generator or a response validator reads, not a copy built
 * in process): the scenario calls `checkResponsesAgainstDocument(…)` once and keeps its own client.
 *
 * For each answer, found by its method and path among the document's operations (openapi-backend's
 * router, which resolves templated paths as a client would):
 *   - a status the operation does not document fails;
 *   - a body whose content type is not one the response documents fails, and so does a body where
 *     the response documents none (but, for a 2xx, see REQUIRE_RESPONSE_SCHEMAS), or no body where
 *     it documents one;
 *   - a JSON body is validated against the documented schema (openapi-backend's ajv validator, with
 *     the document's `$ref`s resolved) and fails on any mismatch;
 *   - a 2xx JSON answer whose response has no schema fails when REQUIRE_RESPONSE_SCHEMAS is set.
 * Requests the document has no operation for (an unknown route, /docs itself) are counted apart:
 * the scenario provokes them on purpose, and no document can describe them.
 *
 * openapi-backend (framework-agnostic, OpenAPI 3.0 and 3.1, maintained) was chosen over
 * openapi-response-validator (a status-and-body check only, no router) and jest-openapi (whose
 * releases stopped in 2022): it matches a URL to its operation and validates the body with the
 * document's `$ref`s resolved; the status and content-type rules above are this module's own,
 * because its validator passes what it has no schema for.
 */
import OpenAPIBackend, { type Operation } from 'openapi-backend';
import { observeExchanges, type Exchange } from './server';

/** A 2xx JSON answer whose documented response has no schema fails: every success body is documented. */
const REQUIRE_RESPONSE_SCHEMAS = true;

interface DocumentedResponse {
  readonly content?: Record<string, { readonly schema?: unknown }>;
}

/** The string formats the document uses, which openapi-backend's ajv does not know (it would ignore them). */
const FORMATS: Record<string, RegExp | ((value: string) => boolean)> = {
  uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
  date: /^\d{4}-\d{2}-\d{2}$/,
  'date-time': /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/,
  uri: (value) => URL.canParse(value),
};

/** The document of each running service, by origin, fetched at its first answer (while it runs). */
const documents = new Map<string, Promise<OpenAPIBackend>>();

function documentOf(origin: string): Promise<OpenAPIBackend> {
  let api = documents.get(origin);
  if (!api) {
    api = (async () => {
      const response = await fetch(`${origin}/docs/openapi.json`);
      if (!response.ok) throw new Error(`${origin}/docs/openapi.json answered ${response.status}`);
      // strict: a document that is not valid OpenAPI fails here rather than validating loosely.
      const backend = new OpenAPIBackend({
        definition: (await response.json()) as never,
        strict: true,
        customizeAjv: (ajv) => {
          for (const [name, pattern] of Object.entries(FORMATS)) ajv.addFormat(name, pattern);
          return ajv;
        },
      });
      await backend.init();
      return backend;
    })();
    documents.set(origin, api);
  }
  return api;
}

/** What one answer tells about the document: the (operation, status) pair and what is wrong, if anything. */
interface Verdict {
  readonly pair: string;
  readonly checked: 'schema' | 'status';
  readonly problem?: string;
}

function judge(api: OpenAPIBackend, operation: Operation, exchange: Exchange): Verdict {
  const pair = `${operation.method.toUpperCase()} ${operation.path} → ${exchange.status}`;
  const responses = operation.responses as Record<string, DocumentedResponse>;
  const documented = responses[String(exchange.status)] ?? responses[`${Math.floor(exchange.status / 100)}XX`] ?? responses.default;
  if (!documented) return { pair, checked: 'status', problem: `undocumented status (documented: ${Object.keys(responses).join(', ')})` };
  const success = exchange.status >= 200 && exchange.status < 300;
  const mediaType = exchange.headers.get('content-type')?.split(';')[0]!.trim().toLowerCase() ?? '(none)';
  const content = documented.content ?? {};
  if (Object.keys(content).length === 0) {
    if (exchange.text === '') return { pair, checked: 'schema' };
    if (success && !REQUIRE_RESPONSE_SCHEMAS) return { pair, checked: 'status' };
    return { pair, checked: 'status', problem: `sends a ${mediaType} body; the document describes none` };
  }
  if (exchange.text === '') return { pair, checked: 'status', problem: `sends no body; the document describes ${Object.keys(content).join(', ')}` };
  const media = content[mediaType];
  if (!media) return { pair, checked: 'status', problem: `sends ${mediaType}; the document describes ${Object.keys(content).join(', ')}` };
  if (media.schema === undefined) {
    if (success && mediaType === 'application/json' && REQUIRE_RESPONSE_SCHEMAS) return { pair, checked: 'status', problem: 'no schema for its JSON body' };
    return { pair, checked: 'status' };
  }
  // Non-JSON bodies (CSV, the event stream) are documented as text: their media type is what a client relies on.
  if (mediaType !== 'application/json') return { pair, checked: 'schema' };
  let body: unknown;
  try {
    body = JSON.parse(exchange.text);
  } catch {
    return { pair, checked: 'schema', problem: `declares JSON but sends ${JSON.stringify(exchange.text.slice(0, 80))}` };
  }
  const result = api.validator.validateResponse(body, operation, exchange.status);
  if (result.valid) return { pair, checked: 'schema' };
  const errors = (result.errors ?? []).map((e) => `${e.instancePath || '(body)'} ${e.message ?? e.keyword}`).join('; ');
  return { pair, checked: 'schema', problem: `body does not match its schema: ${errors} — ${exchange.text.slice(0, 300)}` };
}

/**
 * Checks every answer this test file's clients receive against the served document, and fails the
 * file (in a last afterAll) with every problem found, after one line of counts.
 */
export function checkResponsesAgainstDocument(scenario: string): void {
  const validated = new Set<string>();
  const statusOnly = new Set<string>();
  const outside = new Set<string>();
  const problems = new Map<string, Set<string>>();
  const note = (pair: string, problem: string) => problems.set(pair, (problems.get(pair) ?? new Set()).add(problem));

  observeExchanges(async (exchange) => {
    const url = new URL(exchange.url);
    let api: OpenAPIBackend;
    try {
      api = await documentOf(url.origin);
    } catch (error) {
      note(`${url.origin}/docs/openapi.json`, (error as Error).message);
      return;
    }
    const operation = api.router.matchOperation({ method: exchange.method, path: url.pathname, query: url.search.slice(1), headers: {} });
    if (!operation) {
      outside.add(`${exchange.method} ${url.pathname}`);
      return;
    }
    const verdict = judge(api, operation, exchange);
    (verdict.checked === 'schema' ? validated : statusOnly).add(verdict.pair);
    if (verdict.problem) note(verdict.pair, verdict.problem);
  });

  afterAll(() => {
    const pairs = new Set([...validated, ...statusOnly]);
    const operations = new Set([...pairs].map((pair) => pair.split(' → ')[0]));
    process.stdout.write(
      `${scenario}: ${operations.size} operations, ${pairs.size} (operation, status) pairs checked against /docs/openapi.json — ` +
        `${[...pairs].filter((p) => validated.has(p)).length} with their body validated, ${[...pairs].filter((p) => !validated.has(p)).length} by status only; ` +
        `${outside.size} requests outside the document; ${problems.size} pairs wrong\n` +
        `${scenario} pairs: ${[...pairs].sort().join('; ')}\n`,
    );
    if (problems.size > 0) {
      const report = [...problems].map(([pair, found]) => `  ${pair}: ${[...found].join(' | ')}`).join('\n');
      throw new Error(`answers that the served OpenAPI document does not describe:\n${report}`);
    }
  });
}
