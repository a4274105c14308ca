/**
 * The refusals the platform gives whatever the route, provoked on every operation the served
 * OpenAPI document lists that documents them, each answer validated against the document like every
 * other end-to-end answer (checkResponsesAgainstDocument): no token (401), headers too large (431),
 * an id that is not one (404), an unknown query parameter (400), a body too large (413), a body in
 * another charset than UTF-8 (415), a role that may not act (403), and, over a bare socket, a header
 * line that is not HTTP (400) and headers that never end (408). The scenarios provoke the refusals that depend on a route's state.
 */
import { randomUUID } from 'node:crypto';
import { serverForFile } from '../support/file-server';
import { rawExchange, startServer } from '../support/server';

jest.setTimeout(120_000);
const api = serverForFile('refusal sweep');
const { call, tokenFor } = api;

interface Operation {
  readonly method: string;
  readonly path: string;
  readonly statuses: readonly string[];
  readonly public: boolean;
  readonly takesQuery: boolean;
  readonly takesBody: boolean;
  readonly takesId: boolean;
}

let operations: Operation[];
let token: string;

beforeAll(async () => {
  // Every role a partner's staff and the operator's can hold: the refusals swept here come before any role is asked.
  token = tokenFor({ sub: 'sweep', tid: randomUUID(), roles: ['admin-agent', 'global-admin', 'account-admin', 'back-office', 'analyst'] });
  const document = (await call('GET', '/docs/openapi.json')).body as {
    paths: Record<string, Record<string, { responses: Record<string, unknown>; security?: unknown[]; parameters?: { in: string }[]; requestBody?: unknown }>>;
  };
  operations = Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, operation]) => ({
      method: method.toUpperCase(),
      path,
      statuses: Object.keys(operation.responses),
      public: Array.isArray(operation.security) && operation.security.length === 0,
      takesQuery: (operation.parameters ?? []).some((p) => p.in === 'query'),
      takesBody: operation.requestBody !== undefined,
      takesId: /\{[^}]+\}/.test(path),
    })),
  );
});

/** The path with each id a fresh UUID: well-formed, naming nothing. */
const withIds = (path: string, id: () => string = () => randomUUID()) => path.replace(/\{[^}]+\}/g, () => id());

/** Each operation that documents `status`, called as `ask` says; the ones that answered otherwise. */
async function sweep(status: string, applies: (operation: Operation) => boolean, ask: (operation: Operation) => Promise<{ status: number }>) {
  const swept = operations.filter((operation) => operation.statuses.includes(status) && applies(operation));
  const answered = await Promise.all(
    swept.map(async (operation) => ({ operation: `${operation.method} ${operation.path}`, status: (await ask(operation)).status })),
  );
  return { swept: swept.length, otherwise: answered.filter((a) => String(a.status) !== status) };
}

it('answers 401 to every operation that needs a token, asked without one', async () => {
  const { swept, otherwise } = await sweep(
    '401',
    (o) => !o.public,
    (o) => call(o.method, withIds(o.path), undefined, o.takesBody ? {} : undefined),
  );
  expect(swept).toBeGreaterThan(20);
  expect(otherwise).toEqual([]);
});

it('answers 431 to every operation, asked with headers beyond the limit', async () => {
  const padding = { 'x-padding': 'a'.repeat(64 * 1024) };
  const { swept, otherwise } = await sweep(
    '431',
    () => true,
    (o) => call(o.method, withIds(o.path), token, undefined, padding),
  );
  expect(swept).toBe(operations.length);
  expect(otherwise).toEqual([]);
});

it('answers 404 to every operation with an id, given one that is not an id of the product', async () => {
  const { swept, otherwise } = await sweep(
    '404',
    (o) => o.takesId,
    (o) =>
      call(
        o.method,
        withIds(o.path, () => 'not-an-id'),
        token,
        o.takesBody ? {} : undefined,
      ),
  );
  expect(swept).toBeGreaterThan(10);
  expect(otherwise).toEqual([]);
});

it('answers 400 to every operation with query parameters, given one it does not know', async () => {
  const { swept, otherwise } = await sweep(
    '400',
    (o) => o.takesQuery && o.method === 'GET',
    (o) => call('GET', `${withIds(o.path)}?unknownParameter=1`, token),
  );
  expect(swept).toBeGreaterThan(5);
  expect(otherwise).toEqual([]);
});

it('answers 413 to every operation with a body, given one beyond 1 MiB', async () => {
  const tooLarge = JSON.stringify({ padding: 'a'.repeat(1_100_000) });
  const { swept, otherwise } = await sweep(
    '413',
    (o) => o.takesBody,
    (o) => call(o.method, withIds(o.path), token, tooLarge),
  );
  expect(swept).toBeGreaterThan(5);
  expect(otherwise).toEqual([]);
});

it('answers 415 to every operation with a body, given one in another charset than UTF-8', async () => {
  const latin1 = { 'content-type': 'application/json; charset=latin1' };
  const { swept, otherwise } = await sweep(
    '415',
    (o) => o.takesBody,
    (o) => call(o.method, withIds(o.path), token, '{}', latin1),
  );
  expect(swept).toBeGreaterThan(5);
  expect(otherwise).toEqual([]);
});

it('answers 403 to every operation that documents it, asked by a role that never may', async () => {
  // A role no rule names, then each role SPEC names, one at a time: an operation answers 403 to at least one of them.
  const roles = ['no-such-role', 'marketing-content-admin', 'referral-admin', 'customer-global-admin', 'analyst', 'back-office', 'admin-agent'];
  const asked = (role: string) => tokenFor({ sub: `sweep-${role}`, tid: randomUUID(), roles: [role] });
  const { swept, otherwise } = await sweep(
    '403',
    () => true,
    async (o) => {
      let last = { status: 0 };
      for (const role of roles) {
        last = await call(o.method, withIds(o.path), asked(role), o.takesBody ? {} : undefined);
        if (last.status === 403) break;
      }
      return last;
    },
  );
  expect(swept).toBeGreaterThan(20);
  expect(otherwise).toEqual([]);
});

it('answers 400 to every operation, sent a header line that is not HTTP', async () => {
  const { swept, otherwise } = await sweep(
    '400',
    () => true,
    (o) => {
      const path = withIds(o.path);
      return rawExchange(api.server.port, `${o.method} ${path} HTTP/1.1\r\nHost: sweep\r\nBad Header: y\r\n\r\n`, { as: { method: o.method, path } });
    },
  );
  expect(swept).toBe(operations.length);
  expect(otherwise).toEqual([]);
});

it('answers 408 to every operation whose headers do not arrive in time', async () => {
  const quick = await startServer({ env: { HTTP_HEADERS_TIMEOUT_MS: '500', HTTP_REQUEST_TIMEOUT_MS: '1000' } });
  try {
    const { swept, otherwise } = await sweep(
      '408',
      () => true,
      (o) => {
        const path = withIds(o.path);
        return rawExchange(quick.port, `${o.method} ${path} HTTP/1.1\r\nHost: sweep\r\n`, { as: { method: o.method, path } });
      },
    );
    expect(swept).toBe(operations.length);
    expect(otherwise).toEqual([]);
  } finally {
    await quick.stop();
  }
});
