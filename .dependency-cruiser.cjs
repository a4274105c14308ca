/**
 * The direction of the arrows (ARCHITECTURE.md): the domain imports nothing outside itself;
 * adapters and the application import the domain, never the reverse; apps import libs, never
 * each other; libs never import apps; a bounded context's pure files stay pure and its Nest side
 * is wired by the apps and the composition root only. `npm test` fails on any violation.
 */

// The bounded contexts that are packages of their own (libs/<context>): a small pure `index.ts`
// (@csp/<context>) and a Nest entry `module.ts` (@csp/<context>/module); a context whose I/O also
// runs outside Nest has a Nest-free entry for it (@csp/audit/history). Add each context as it moves.
const CONTEXTS = '(webhooks|analytics|credits|audit|customers|orders|refunds)';
// A context's pure files, by name: `*.events.ts` (its events), `*.commands.ts` (its command types),
// `*.state.ts` (a stream's state and evolve), `*.decide.ts` (a command's decide function),
// `*.rules.ts` (rules its deciders and DTOs share), `*.queries.ts` (a read model's answers, read
// through the ReadModelStore port it is handed, so other contexts may ask them), `*.projection.ts`
// (a read model: which documents an event reads and what it writes), and its index.ts.
const PURE = `^libs/${CONTEXTS}/src/(.+[.](events|commands|state|decide|rules|projection|queries)|index)[.]ts$`;
// The contracts a projection is written against: the read side's Projection and ReadModelOp, the
// event store's RecordedEvent. A pure file may name them as types, never load them.
const PROJECTION_CONTRACTS = '^libs/(projections|event-store)/src/index[.]ts$';
// The platform module that is pure itself, an entry of its own: the event store's port
// (@csp/event-store/port: positions and how they are written). A pure file may load it. (The
// sortable index keys read models share are the domain kernel's.)
const PURE_PLATFORM = '^libs/event-store/src/port[.]ts$';
// A context's entries, which the rest of the product imports it by: the files tsconfig.base.json's
// paths name (the one list of entry points), e.g. its index.ts and module.ts.
const CONTEXT_ENTRIES = Object.values(require('./tsconfig.base.json').compilerOptions.paths)
  .map(([file]) => file)
  .filter((file) => new RegExp(`^libs/${CONTEXTS}/src/`).test(file))
  .map((file) => `^${file.replace(/[.]/g, '[.]')}$`);

module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment: 'libs/domain is pure TypeScript: no framework, no Node built-ins, no npm packages, no other lib.',
      severity: 'error',
      from: { path: '^libs/domain/src', pathNot: '\\.spec\\.ts$|/testing/' },
      to: { pathNot: '^libs/domain/src' },
    },
    {
      name: 'context-domain-is-pure',
      comment:
        "A context's pure files (*.events.ts, *.decide.ts, *.rules.ts and its index.ts) import nothing but other pure files " +
        'of a context, the domain kernel (libs/domain) and the pure platform modules (PURE_PLATFORM): no framework, no Node built-ins, no npm packages, no other platform module.',
      severity: 'error',
      from: { path: PURE },
      to: { pathNot: ['^libs/domain/src', PURE, PROJECTION_CONTRACTS, PURE_PLATFORM] },
    },
    {
      name: 'pure-platform-modules-load-nothing',
      comment: 'The platform modules pure files may load (PURE_PLATFORM) name other modules as types only, so that loading them loads nothing else.',
      severity: 'error',
      from: { path: PURE_PLATFORM },
      to: { dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'context-projection-contracts-are-types',
      comment: 'A pure file names the read side and event store contracts (Projection, ReadModelOp, RecordedEvent) as types only (`import type`).',
      severity: 'error',
      from: { path: PURE },
      to: { path: PROJECTION_CONTRACTS, dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'context-module-only-from-apps-and-runtime',
      comment: "A context's Nest side (@csp/<context>/module) is wired by the apps and the composition root only.",
      severity: 'error',
      from: { pathNot: ['^apps/', '^libs/runtime/'] },
      to: { path: `^libs/${CONTEXTS}/src/module[.]ts$` },
    },
    {
      name: 'contexts-are-entered-by-their-entries',
      comment: 'From outside a context, only its entries (CONTEXT_ENTRIES: its index.ts, module.ts…) are imported (tests and specs may reach further in).',
      severity: 'error',
      from: { path: '^(apps|libs)/', pathNot: [`^libs/${CONTEXTS}/`, '\\.spec\\.ts$', '/(testing|contract)/'] },
      to: { path: `^libs/${CONTEXTS}/src/`, pathNot: CONTEXT_ENTRIES },
    },
    {
      name: 'libs-do-not-import-apps',
      severity: 'error',
      from: { path: '^libs/' },
      to: { path: '^apps/' },
    },
    {
      name: 'apps-do-not-import-each-other',
      severity: 'error',
      from: { path: '^apps/([^/]+)/' },
      to: { path: '^apps/', pathNot: '^apps/$1/' },
    },
    {
      name: 'only-the-composition-root-opens-stores',
      comment:
        'Every entry point (API, projector, each CLI command) opens its stores through libs/runtime: ' +
        'nothing else in the product imports an adapter (event store, read-model store, keyring store, Redis rate limiter). ' +
        'Tests, contract suites and benchmarks may.',
      severity: 'error',
      from: {
        path: '^(apps|libs)/',
        pathNot: [
          '^libs/runtime/',
          '\\.spec\\.ts$',
          '/(testing|contract|bench|examples)/',
          // An adapter's own files import each other.
          '^libs/event-store/src/(sqlite|kurrentdb|postgres)/',
          '^libs/projections/src/stores/(memory|redis|sqlite)-store',
          '^libs/security/src/keyring/(sqlite|kurrentdb|postgres)-data-key-store',
        ],
      },
      to: {
        path: [
          '^libs/event-store/src/(sqlite|kurrentdb|postgres)/',
          '^libs/projections/src/stores/(memory|redis|sqlite)-store',
          '^libs/security/src/keyring/(sqlite|kurrentdb|postgres)-data-key-store',
          '^libs/security/src/redis-rate-limiter',
        ],
      },
    },
    {
      name: 'only-apps-import-the-composition-root',
      severity: 'error',
      from: { path: '^libs/', pathNot: '^libs/runtime/' },
      to: { path: '^libs/runtime/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(dist|node_modules)/' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    combinedDependencies: false,
  },
};
