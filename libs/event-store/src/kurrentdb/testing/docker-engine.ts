import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export type DockerEngine = { readonly reachable: true; readonly at: string } | { readonly reachable: false; readonly reason: string };

/** Where an engine listens: DOCKER_HOST if set, else the usual root and rootless sockets. */
function engineAddress(): { url: string } | { socketPath: string } | undefined {
  const host = process.env.DOCKER_HOST?.trim();
  if (host) return host.startsWith('unix://') ? { socketPath: host.slice('unix://'.length) } : { url: host.replace(/^tcp:\/\//, 'http://') };
  const sockets = [
    '/var/run/docker.sock',
    process.env.XDG_RUNTIME_DIR && join(process.env.XDG_RUNTIME_DIR, 'docker.sock'),
    join(homedir(), '.docker/run/docker.sock'),
  ];
  const socketPath = sockets.find((path): path is string => typeof path === 'string' && existsSync(path));
  return socketPath ? { socketPath } : undefined;
}

/**
 * Whether a Docker engine answers `GET /_ping` within two seconds. Jest decides between
 * `describe` and `describe.skip` synchronously, so the request runs in a child process.
 */
export function probeDockerEngine(): DockerEngine {
  const address = engineAddress();
  if (!address) return { reachable: false, reason: 'DOCKER_HOST is unset and no Docker socket exists' };
  const at = 'url' in address ? address.url : address.socketPath;
  if ('url' in address && !address.url.startsWith('http://')) return { reachable: false, reason: `DOCKER_HOST=${address.url} is not a unix or tcp address` };
  const target = 'url' in address ? JSON.stringify(new URL('/_ping', address.url).href) : JSON.stringify({ socketPath: address.socketPath, path: '/_ping' });
  const script = [
    `const request = require('http').get(${target}, (response) => { process.stdout.write(String(response.statusCode)); process.exit(0); });`,
    `request.on('error', (error) => { process.stdout.write(error.message); process.exit(0); });`,
    `request.setTimeout(2000, () => { process.stdout.write('no answer within 2 s'); process.exit(0); });`,
  ].join('\n');
  try {
    const answer = execFileSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 5000 });
    return answer === '200' ? { reachable: true, at } : { reachable: false, reason: `${at}: ${answer}` };
  } catch (error) {
    return { reachable: false, reason: `${at}: ${(error as Error).message}` };
  }
}
