import { createHmac, randomUUID } from 'node:crypto';
import { loadConfig } from '@csp/config';
import { tokenSigningSecret } from '@csp/runtime';

/**
 * Mints an HS256 development token for a role, signed with AUTH_JWT_SECRET or, when that is unset,
 * the development secret `npm start` keeps in DATA_DIR.
 *   npm run token -- --role admin-agent [--tid <tenant GUID>] [--sub <user>] [--ttl 3600]
 */
const ROLES = [
  'admin-agent',
  'global-admin',
  'account-admin',
  'referral-admin',
  'marketing-content-admin',
  'customer-global-admin',
  'back-office',
  'analyst',
];

function parseArgs(argv: string[]): Record<string, string> {
  const args: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) throw new Error(`Unexpected argument "${arg}"`);
    const [name, inline] = arg.slice(2).split('=', 2) as [string, string | undefined];
    const value = inline ?? argv[++i];
    if (value === undefined) throw new Error(`--${name} needs a value`);
    args[name] = value;
  }
  return args;
}

function main(): void {
  const args = parseArgs(process.argv.slice(2));
  if (args.help !== undefined || !args.role) {
    process.stderr.write(`Usage: npm run token -- --role <${ROLES.join('|')}> [--tid <tenant GUID>] [--sub <user id>] [--ttl <seconds>]\n`);
    process.exit(args.role ? 0 : 2);
  }
  const roles = args.role.split(',');
  for (const role of roles) if (!ROLES.includes(role)) throw new Error(`Unknown role "${role}"; one of ${ROLES.join(', ')}`);
  const tid = args.tid ?? randomUUID();
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(tid)) throw new Error('--tid must be a GUID');
  const ttl = Number(args.ttl ?? 3600);
  if (!Number.isInteger(ttl) || ttl <= 0) throw new Error('--ttl must be a positive number of seconds');

  const config = loadConfig();
  const secret = tokenSigningSecret(config);
  const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const header = b64({ alg: 'HS256', typ: 'JWT' });
  const payload = b64({ sub: args.sub ?? `${roles[0]}-dev`, tid, roles, iat: now, exp: now + ttl });
  const signature = createHmac('sha256', secret).update(`${header}.${payload}`).digest('base64url');
  process.stdout.write(`${header}.${payload}.${signature}\n`);
  if (!args.tid) process.stderr.write(`(tid ${tid} was generated; pass --tid to act for an existing tenant)\n`);
}

try {
  main();
} catch (error) {
  process.stderr.write(`token: ${(error as Error).message}\n`);
  process.exit(2);
}
