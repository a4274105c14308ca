import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { loadConfig } from '@csp/config';
import { tokenSigningSecret } from '@csp/runtime';
import { ANALYST_ROLE, BACK_OFFICE_ROLE, CUSTOMER_ADMIN_ROLE, parseId, PARTNER_ROLES } from '@csp/domain';
import { readCommandLine, UsageError, usageExit } from './args';

/**
 * Mints an HS256 development token for a role, signed with AUTH_JWT_SECRET or, when that is unset,
 * the development secret `npm start` keeps in DATA_DIR.
 *   npm run token -- --role admin-agent [--tid <tenant GUID>] [--sub <user>] [--ttl 3600]   (--help for more)
 */
const ROLES: readonly string[] = [...PARTNER_ROLES, CUSTOMER_ADMIN_ROLE, BACK_OFFICE_ROLE, ANALYST_ROLE];

const USAGE = `Usage: npm run token -- --role <${ROLES.join('|')}>[,<role>...] [--tid <tenant GUID>] [--sub <user id>] [--ttl <seconds>]
       npm run token -- --help

Prints an HS256 token signed with AUTH_JWT_SECRET, or the development secret in \${DATA_DIR:-./data}.
Without --tid a new tenant id is generated (and said on stderr). --ttl defaults to 3600.`;

const OPTIONS = { role: { type: 'string' }, tid: { type: 'string' }, sub: { type: 'string' }, ttl: { type: 'string' } } as const;

async function main(): Promise<void> {
  const { values: args } = readCommandLine(process.argv.slice(2), OPTIONS);
  if (!args.role) throw new UsageError('--role is required');
  const roles = args.role.split(',');
  for (const role of roles) if (!ROLES.includes(role)) throw new UsageError(`Unknown role "${role}"; one of ${ROLES.join(', ')}`);
  const tid = args.tid !== undefined ? parseId(args.tid) : randomUUID();
  if (!tid) throw new UsageError('--tid must be a GUID');
  const ttl = Number(args.ttl ?? 3600);
  if (!Number.isInteger(ttl) || ttl <= 0) throw new UsageError('--ttl must be a positive number of seconds');

  const config = loadConfig();
  const secret = tokenSigningSecret(config);
  const now = Math.floor(Date.now() / 1000);
  const token = await new SignJWT({ sub: args.sub ?? `${roles[0]}-dev`, tid, roles })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuedAt(now)
    .setExpirationTime(now + ttl)
    .sign(new TextEncoder().encode(secret));
  process.stdout.write(`${token}\n`);
  if (!args.tid) process.stderr.write(`(tid ${tid} was generated; pass --tid to act for an existing tenant)\n`);
}

main().catch((error: unknown) => {
  const code = usageExit(error, USAGE);
  if (code === undefined) process.stderr.write(`token: ${(error as Error).message}\n`);
  process.exitCode = code ?? 2;
});
