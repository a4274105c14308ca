import type { StartedTestContainer } from 'testcontainers';
import { probeDockerEngine } from './docker-engine';

const IMAGE = 'kurrentplatform/kurrentdb:25.0';

/**
 * Declares `suite` against a real single-node KurrentDB (insecure, `environment` added; one server
 * for the file, started with testcontainers at first use and stopped after it) wherever a Docker
 * engine answers. Where none does, the suite is skipped — its tests still show in the report, under
 * that reason — with one loud line on stderr naming it; REQUIRE_KURRENTDB=1 makes that a failure.
 */
export function onRealKurrentDb(name: string, environment: Record<string, string>, suite: (connectionString: () => Promise<string>) => void): void {
  const docker = probeDockerEngine();
  if (!docker.reachable) {
    if (process.env.REQUIRE_KURRENTDB === '1') throw new Error(`REQUIRE_KURRENTDB=1 but no Docker engine is reachable (${docker.reason})`);
    // Straight to stderr: jest drops console output of a file whose tests are all skipped.
    process.stderr.write(
      `\n${name} SKIPPED: no Docker engine reachable (${docker.reason}); run it where Docker exists (REQUIRE_KURRENTDB=1 makes this a failure)\n`,
    );
    describe.skip('needs a Docker engine', () => suite(() => Promise.reject(new Error('no Docker engine'))));
    return;
  }
  let container: Promise<StartedTestContainer> | undefined;
  const server = () =>
    (container ??= (async () => {
      const { GenericContainer, Wait } = await import('testcontainers');
      return new GenericContainer(IMAGE)
        .withEnvironment({ KURRENTDB_CLUSTER_SIZE: '1', KURRENTDB_INSECURE: 'true', ...environment })
        .withExposedPorts(2113)
        .withWaitStrategy(Wait.forHttp('/health/live', 2113).forStatusCodeMatching((code) => code >= 200 && code < 300))
        .withStartupTimeout(120_000)
        .start();
    })());
  jest.setTimeout(180_000);
  afterAll(async () => {
    if (container) await (await container).stop();
  });
  suite(async () => {
    const started = await server();
    return `kurrentdb://${started.getHost()}:${started.getMappedPort(2113)}?tls=false`;
  });
}
