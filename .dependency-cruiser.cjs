/**
 * The direction of the arrows (ARCHITECTURE.md): the domain imports nothing outside itself;
 * adapters and the application import the domain, never the reverse; apps import libs, never
 * each other; libs never import apps. `npm test` fails on any violation.
 */
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
          '^libs/event-store/src/(sqlite|kurrentdb)/',
          '^libs/projections/src/stores/(memory|redis)-store',
          '^libs/security/src/keyring/(sqlite|kurrentdb)-data-key-store',
        ],
      },
      to: {
        path: [
          '^libs/event-store/src/(sqlite|kurrentdb)/',
          '^libs/projections/src/stores/(memory|redis)-store',
          '^libs/security/src/keyring/(sqlite|kurrentdb)-data-key-store',
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
