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
      name: 'ports-do-not-import-adapters',
      comment: 'The event store port knows no adapter; the read side and application use the port.',
      severity: 'error',
      from: { path: '^libs/(domain|projections/src/(?!stores))' },
      to: { path: '^libs/event-store/src/(sqlite|kurrentdb)/' },
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
