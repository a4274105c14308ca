/**
 * deploy/ agrees with the apps: every manifest parses, sets only variables the product reads,
 * probes the health routes the apps serve on the ports they listen on, and the compose files
 * validate with docker-compose; each in its KurrentDB and its PostgreSQL variant. Nothing here starts a container: no Docker engine is needed.
 */
import { execFile, execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { CONFIG_VARIABLES } from '@csp/config';
import { Metrics } from '@csp/observability';

const DEPLOY = resolve(__dirname, '../../deploy');
const KNOWN = new Set<string>(CONFIG_VARIABLES);
/** The two processes of the image, what starts them, and where their health routes listen. */
const PROCESSES = {
  api: { script: 'dist/apps/api/src/main.js', port: '3000', portVariable: 'PORT' },
  projector: { script: 'dist/apps/projector/src/main.js', port: '3001', portVariable: 'PROJECTOR_PORT' },
} as const;
const byScript = (script: string) => Object.values(PROCESSES).find((p) => p.script === script);
const IMAGE = 'csp-software-orders:latest';
const KURRENTDB_IMAGE = /^kurrentplatform\/kurrentdb:\d+\.\d+/;

const load = (file: string) =>
  parseAllDocuments(readFileSync(join(DEPLOY, file), 'utf8'), { merge: true }).map((document) => {
    expect({ file, errors: document.errors }).toEqual({ file, errors: [] });
    return document.toJS({ merge: true }) as any;
  });
/** The product's variables, and OpenTelemetry's standard ones, which the tracing SDK reads itself (README, Operating it). */
const isKnown = (variable: string) => KNOWN.has(variable) || variable.startsWith('OTEL_');
const expectKnown = (where: string, variables: Iterable<string>) => {
  for (const variable of variables) expect({ where, variable, known: isKnown(variable) }).toEqual({ where, variable, known: true });
};

/** The two compose variants: the same apps on a KurrentDB cluster or on one PostgreSQL server. */
describe.each([
  ['docker-compose.yml', 'kurrentdb'],
  ['docker-compose.postgres.yml', 'postgres'],
] as const)('%s', (file, store) => {
  const [compose] = load(file);
  const services = compose.services as Record<string, any>;
  const apps = Object.entries(services).filter(([, s]) => s.image === IMAGE);
  const nodes = Object.entries(services).filter(([, s]) => KURRENTDB_IMAGE.test(String(s.image)));
  const postgres = Object.entries(services).filter(([, s]) => /^postgres:\d+/.test(String(s.image)));

  it('runs two API replicas on host ports 3000 and 3002 and one projector, all from the product image', () => {
    const scripts = apps.map(([, s]) => s.command[1]);
    expect(scripts.filter((c) => c === PROCESSES.api.script)).toHaveLength(2);
    expect(scripts.filter((c) => c === PROCESSES.projector.script)).toHaveLength(1);
    const hostPorts = apps.filter(([, s]) => s.command[1] === PROCESSES.api.script).flatMap(([, s]) => s.ports.map((p: string) => p.split(':')[0]));
    expect(hostPorts.sort()).toEqual(['3000', '3002']);
  });

  it('sets only variables the product reads, and the port each process listens on', () => {
    for (const [name, service] of apps) {
      expectKnown(name, Object.keys(service.environment));
      const { port, portVariable } = byScript(service.command[1])!;
      expect({ name, port: service.environment[portVariable] }).toEqual({ name, port });
      for (const mapping of service.ports ?? []) expect(String(mapping).split(':')[1]).toBe(port);
    }
  });

  it('probes readiness of each process through the image’s health check script', () => {
    for (const [name, service] of apps)
      expect({ name, test: service.healthcheck.test }).toEqual({ name, test: ['CMD', 'node', 'deploy/healthcheck.js', '/health/ready'] });
  });

  if (store === 'kurrentdb') {
    it('points every process at the whole KurrentDB cluster and at Redis', () => {
      const hosts = nodes.map(([name]) => `${name}:2113`);
      for (const [name, service] of apps) {
        const [, scheme, hostList, query] = /^(\w+):\/\/([^?]+)\?(.*)$/.exec(service.environment.EVENTSTORE_URL) ?? [];
        expect({ name, scheme, hostList }).toEqual({ name, scheme: 'kurrentdb', hostList: hosts.join(',') });
        expect(new URLSearchParams(query).get('tls')).toBe('false');
        expect(service.environment.REDIS_URL).toBe('redis://redis:6379');
      }
    });

    it('runs a three-node KurrentDB cluster that gossips, with the system projections behind $ce-order', () => {
      expect(nodes).toHaveLength(3);
      const names = nodes.map(([name]) => name);
      for (const [name, node] of nodes) {
        expect(node.environment.KURRENTDB_CLUSTER_SIZE).toBe('3');
        expect(
          node.environment.KURRENTDB_GOSSIP_SEED.split(',')
            .map((seed: string) => seed.split(':')[0])
            .sort(),
        ).toEqual([...names].sort());
        expect(node.environment.KURRENTDB_NODE_HOST_ADVERTISE_AS).toBe(name);
        expect(node.environment.KURRENTDB_RUN_PROJECTIONS).toBe('System');
        expect(node.environment.KURRENTDB_START_STANDARD_PROJECTIONS).toBe('true');
        expect(node.healthcheck.test.join(' ')).toContain('/health/live');
      }
      expect(services.redis.image).toMatch(/^redis:/);
    });
  } else {
    it('points every process at the PostgreSQL service’s database as its user, and at Redis; no KurrentDB', () => {
      expect(nodes).toEqual([]);
      expect(postgres).toHaveLength(1);
      const [[host, server]] = postgres as [[string, any]];
      for (const [name, service] of apps) {
        const url = new URL(service.environment.EVENTSTORE_URL.replace('${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD}', 'password'));
        expect({ name, scheme: url.protocol, host: url.hostname, port: url.port, database: url.pathname, user: url.username }).toEqual({
          name,
          scheme: 'postgres:',
          host,
          port: '5432',
          database: `/${server.environment.POSTGRES_DB}`,
          user: server.environment.POSTGRES_USER,
        });
        expect(service.environment.REDIS_URL).toBe('redis://redis:6379');
        // The apps start once the server accepts connections: they migrate the schema at start-up.
        expect(service.depends_on.postgres).toEqual({ condition: 'service_healthy' });
      }
      expect(server.healthcheck.test.join(' ')).toContain('pg_isready');
      expect(server.volumes.some((v: string) => v.endsWith(':/var/lib/postgresql/data'))).toBe(true);
      expect(services.redis.image).toMatch(/^redis:/);
    });
  }

  it('validates with docker-compose config', () => {
    let available = true;
    try {
      execFileSync('docker-compose', ['version'], { stdio: 'ignore' });
    } catch {
      available = false;
    }
    if (!available) {
      if (process.env.CI) throw new Error('docker-compose is not installed (apt-get install docker-compose; .ci/run does)');
      console.warn('DOCKER-COMPOSE VALIDATION SKIPPED: docker-compose is not installed (apt-get install docker-compose)');
      return;
    }
    execFileSync('docker-compose', ['-f', join(DEPLOY, file), 'config', '-q'], {
      env: { ...process.env, AUTH_JWT_SECRET: 'validate', KEY_ENCRYPTION_KEY: 'validate', POSTGRES_PASSWORD: 'validate' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
  });
});

const K8S_BASE = readdirSync(join(DEPLOY, 'k8s'))
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => join('k8s', f));
/** The PostgreSQL variant: the same namespace and Deployments, its own ConfigMap and Secret (EVENTSTORE_URL holds credentials). */
const K8S_POSTGRES = [
  ...K8S_BASE.filter((f) => !/(configmap|secret\.example)\.yaml$/.test(f)),
  ...readdirSync(join(DEPLOY, 'k8s/postgres'))
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => join('k8s/postgres', f)),
];

describe.each([
  ['KurrentDB', K8S_BASE],
  ['PostgreSQL', K8S_POSTGRES],
] as const)('Kubernetes manifests (%s)', (store, files) => {
  const docs = files.flatMap((f) => load(f));
  const namespace = docs.find((d) => d.kind === 'Namespace').metadata.name;
  const deployments = docs.filter((d) => d.kind === 'Deployment');
  const configMap = docs.find((d) => d.kind === 'ConfigMap');
  const secret = docs.find((d) => d.kind === 'Secret');
  const containerOf = (deployment: any) => deployment.spec.template.spec.containers[0];
  const deploymentOf = (script: string) => deployments.find((d) => containerOf(d).command[1] === script);

  it('put every resource in the one namespace', () => {
    for (const doc of docs.filter((d) => d.kind !== 'Namespace'))
      expect({ kind: doc.kind, namespace: doc.metadata.namespace }).toEqual({ kind: doc.kind, namespace });
  });

  it('set only variables the product reads', () => {
    expectKnown('ConfigMap', Object.keys(configMap.data));
    expectKnown('Secret', Object.keys(secret.stringData));
    for (const d of deployments)
      expectKnown(
        d.metadata.name,
        (containerOf(d).env ?? []).map((e: { name: string }) => e.name),
      );
    for (const d of deployments) {
      const sources = containerOf(d).envFrom.map((source: any) => source.configMapRef?.name ?? source.secretRef?.name);
      expect(sources.sort()).toEqual([configMap.metadata.name, secret.metadata.name].sort());
    }
  });

  it('run the API ×2 and the projector ×1 from the product image, probing the health routes on the ports they listen on', () => {
    expect(deploymentOf(PROCESSES.api.script).spec.replicas).toBe(2);
    expect(deploymentOf(PROCESSES.projector.script).spec.replicas).toBe(1);
    for (const { script, port, portVariable } of Object.values(PROCESSES)) {
      const deployment = deploymentOf(script);
      const container = containerOf(deployment);
      expect(container.image).toBe(IMAGE);
      expect(container.env.find((e: any) => e.name === portVariable).value).toBe(port);
      const named = Object.fromEntries(container.ports.map((p: any) => [p.name, String(p.containerPort)]));
      expect(Object.values(named)).toEqual([port]);
      expect(container.readinessProbe.httpGet.path).toBe('/health/ready');
      expect(container.livenessProbe.httpGet.path).toBe('/health/live');
      for (const probe of [container.readinessProbe, container.livenessProbe]) expect(named[probe.httpGet.port] ?? String(probe.httpGet.port)).toBe(port);
      expect(container.resources.requests).toEqual(expect.objectContaining({ cpu: expect.any(String), memory: expect.any(String) }));
      expect(deployment.spec.template.spec.securityContext.runAsNonRoot).toBe(true);
      expect(deployment.spec.selector.matchLabels).toEqual(deployment.spec.template.metadata.labels);
    }
  });

  it('name the event store: KurrentDB in the ConfigMap, PostgreSQL (with its credentials) in the Secret only', () => {
    if (store === 'KurrentDB') {
      expect(configMap.data.EVENTSTORE_URL).toMatch(/^kurrentdb:\/\//);
    } else {
      expect(configMap.data.EVENTSTORE_URL).toBeUndefined();
      const url = new URL(secret.stringData.EVENTSTORE_URL);
      expect({ scheme: url.protocol, user: url.username, hasPassword: url.password !== '', database: url.pathname }).toEqual({
        scheme: 'postgres:',
        user: 'csp',
        hasPassword: true,
        database: '/csp',
      });
    }
    expect(configMap.data.REDIS_URL).toMatch(/^redis:\/\//);
  });

  it('ask Prometheus to scrape /metrics on the port each process listens on', () => {
    for (const { script, port } of Object.values(PROCESSES)) {
      const annotations = deploymentOf(script).spec.template.metadata.annotations;
      expect({ script, annotations }).toEqual({
        script,
        annotations: expect.objectContaining({ 'prometheus.io/scrape': 'true', 'prometheus.io/port': port, 'prometheus.io/path': '/metrics' }),
      });
    }
  });

  it('expose the API through a Service that selects the API pods and targets their port', () => {
    const service = docs.find((d) => d.kind === 'Service');
    const api = deploymentOf(PROCESSES.api.script);
    expect(service.spec.selector).toEqual(api.spec.template.metadata.labels);
    const targetPort = service.spec.ports[0].targetPort;
    expect(containerOf(api).ports.some((p: any) => p.name === targetPort || p.containerPort === targetPort)).toBe(true);
  });
});

describe('Dockerfile', () => {
  const dockerfile = readFileSync(join(DEPLOY, 'Dockerfile'), 'utf8');
  const stages = dockerfile.split(/^FROM /m).slice(1);

  it('builds with the native toolchain in one stage and runs as a non-root user from node:20-bookworm-slim in another', () => {
    expect(stages).toHaveLength(2);
    const [build, runtime] = stages as [string, string];
    expect(build).toMatch(/install -y --no-install-recommends python3 make g\+\+/);
    expect(build).toContain('npm run build && npm prune --omit=dev');
    expect(runtime).toMatch(/^node:20-bookworm-slim AS runtime/);
    for (const copied of ['/app/node_modules', '/app/dist', 'config ./config', 'deploy/healthcheck.js']) expect(runtime).toContain(copied);
    expect(runtime).toMatch(/^USER csp$/m);
  });

  it('starts the API by default, exposes both health ports and checks liveness with the shared script', () => {
    expect(dockerfile).toContain(`CMD ["node", "${PROCESSES.api.script}"]`);
    expect(dockerfile).toContain(`EXPOSE ${PROCESSES.api.port} ${PROCESSES.projector.port}`);
    expect(dockerfile).toContain('HEALTHCHECK');
    expect(dockerfile).toContain('CMD ["node", "deploy/healthcheck.js", "/health/live"]');
    expectKnown(
      'Dockerfile ENV',
      [...dockerfile.matchAll(/^ENV (.+)$/gm)].flatMap((m) => m[1]!.split(/\s+/).map((pair) => pair.split('=')[0]!)).filter((name) => name !== 'NODE_ENV'),
    );
  });
});

describe('deploy/healthcheck.js', () => {
  let server: Server;
  let port: number;
  beforeAll(async () => {
    server = createServer((request, response) => {
      response.statusCode = request.url === '/health/live' ? 200 : 503;
      response.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const run = (env: NodeJS.ProcessEnv, path: string) =>
    new Promise<number>((resolve) => {
      execFile(process.execPath, [join(DEPLOY, 'healthcheck.js'), path], { env: { ...process.env, ...env }, timeout: 10_000 }, (error) =>
        resolve(error ? ((error as { code?: number }).code ?? -1) : 0),
      );
    });

  it('succeeds on 200 and fails on anything else or on no answer', async () => {
    expect(await run({ PORT: String(port) }, '/health/live')).toBe(0);
    expect(await run({ PORT: String(port) }, '/health/ready')).toBe(1);
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const unused = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    expect(await run({ PORT: String(unused) }, '/health/live')).toBe(1);
  });
});

describe('monitoring: alert rules and dashboard', () => {
  /** Every series name a scrape can hold: the product's instruments and Node's, histograms with their suffixes. */
  const series = new Set(
    new Metrics().registry
      .getMetricsAsArray()
      .flatMap(({ name, type }) => (String(type) === 'histogram' ? [`${name}_bucket`, `${name}_sum`, `${name}_count`] : [name])),
  );
  const instruments = [...series].filter((name) => name.startsWith('csp_')).map((name) => name.replace(/_(bucket|sum|count)$/, ''));
  /** The metric names a PromQL expression reads (ours and Node's: csp_, process_, nodejs_). */
  const metricsIn = (expr: string) => [...expr.matchAll(/\b(?:csp|process|nodejs)_[a-z0-9_]+\b/g)].map((m) => m[0]);

  it('alert on read-model lag for minutes, on dead letters, and on the 5xx rate, from metrics that exist', () => {
    const [rules] = load('monitoring/alerts.yaml');
    const alerts = rules.groups.flatMap((group: { rules: any[] }) => group.rules);
    for (const rule of alerts) {
      expect(rule).toEqual(
        expect.objectContaining({ alert: expect.any(String), expr: expect.any(String), labels: { severity: expect.stringMatching(/^(warning|critical)$/) } }),
      );
      expect(rule.annotations.summary).toMatch(/\w/);
      expect(metricsIn(rule.expr).length).toBeGreaterThan(0);
      for (const metric of metricsIn(rule.expr))
        expect({ alert: rule.alert, metric, exists: series.has(metric) }).toEqual({ alert: rule.alert, metric, exists: true });
    }
    const byMetric = (metric: string) => alerts.filter((rule: { expr: string }) => rule.expr.includes(metric));
    expect(byMetric('csp_read_model_lag_seconds')).toEqual([expect.objectContaining({ for: expect.stringMatching(/^\d+m$/) })]);
    expect(byMetric('csp_webhook_dead_letters')[0].expr).toMatch(/> 0$/);
    expect(byMetric('csp_http_request_duration_seconds_count')[0].expr).toContain('status=~"5.."');
  });

  it('has a Grafana dashboard whose panels read only metrics that exist, and every csp_* instrument', () => {
    const dashboard = JSON.parse(readFileSync(join(DEPLOY, 'monitoring/dashboard.json'), 'utf8'));
    const panels = dashboard.panels as { id: number; title: string; targets: { expr: string }[] }[];
    expect(new Set(panels.map((p) => p.id)).size).toBe(panels.length);
    const read = new Set<string>();
    for (const panel of panels) {
      expect(panel.targets.length).toBeGreaterThan(0);
      for (const { expr } of panel.targets) {
        for (const metric of metricsIn(expr)) {
          expect({ panel: panel.title, metric, exists: series.has(metric) }).toEqual({ panel: panel.title, metric, exists: true });
          read.add(metric.replace(/_(bucket|sum|count)$/, ''));
        }
      }
    }
    for (const instrument of instruments) expect({ instrument, shown: read.has(instrument) }).toEqual({ instrument, shown: true });
  });
});
