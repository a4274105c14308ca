import { lookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { BlockList, isIPv6 } from 'node:net';
import { ipLiteral, NO_ALLOWED_DESTINATIONS, type AllowedDestinations, type ResolvedAddress } from '@csp/security';

/**
 * Where webhooks may be delivered (SPEC §2): never to loopback, private, link-local, unspecified,
 * multicast or otherwise special-purpose addresses, in any spelling, unless the operator allows
 * them in WEBHOOK_ALLOWED_HOSTS. The one rule for registration (the URL as given) and for delivery
 * (the addresses its host resolves to at each attempt, which are the only ones connected to).
 */

const familyName = (address: ResolvedAddress) => (address.family === 4 ? 'ipv4' : 'ipv6');

/** The address ranges no webhook goes to, by what they are (IANA special-purpose registries). */
const SPECIAL_PURPOSE: readonly (readonly [kind: string, cidrs: readonly string[]])[] = [
  ['unspecified', ['0.0.0.0/8', '::/128']],
  ['loopback', ['127.0.0.0/8', '::1/128']],
  ['private', ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7', 'fec0::/10', '64:ff9b:1::/48']],
  // 169.254.169.254 is where clouds serve instance credentials.
  ['link-local', ['169.254.0.0/16', 'fe80::/10']],
  ['shared (carrier-grade NAT)', ['100.64.0.0/10']],
  ['multicast', ['224.0.0.0/4', 'ff00::/8']],
  ['broadcast', ['255.255.255.255/32']],
  [
    'reserved',
    [
      '192.0.0.0/24',
      '192.0.2.0/24',
      '192.88.99.0/24',
      '198.18.0.0/15',
      '198.51.100.0/24',
      '203.0.113.0/24',
      '240.0.0.0/4',
      '100::/64',
      '2001::/32',
      '2001:db8::/32',
    ],
  ],
];
const SPECIAL_PURPOSE_LISTS = SPECIAL_PURPOSE.map(([kind, cidrs]) => {
  const list = new BlockList();
  for (const cidr of cidrs) {
    const [address, prefix] = cidr.split('/') as [string, string];
    list.addSubnet(address, Number(prefix), isIPv6(address) ? 'ipv6' : 'ipv4');
  }
  return [kind, list] as const;
});

/**
 * The IPv4 address an IPv6 address carries, where a connection to it can reach that IPv4 host:
 * IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d), IPv4-translated (::ffff:0:a.b.c.d),
 * NAT64 (64:ff9b::a.b.c.d) and 6to4 (2002:aabb:ccdd::).
 */
function embeddedIPv4(address: ResolvedAddress): ResolvedAddress | undefined {
  if (address.family !== 6) return undefined;
  const b = ipv6Bytes(address.address);
  const zero = (from: number, to: number) => b.slice(from, to).every((x) => x === 0);
  const v4 = (at: number): ResolvedAddress => ({ address: b.slice(at, at + 4).join('.'), family: 4 });
  if (zero(0, 10) && b[10] === 0xff && b[11] === 0xff) return v4(12);
  if (zero(0, 12)) return v4(12);
  if (zero(0, 8) && b[8] === 0xff && b[9] === 0xff && zero(10, 12)) return v4(12);
  if (b[0] === 0x00 && b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b && zero(4, 12)) return v4(12);
  if (b[0] === 0x20 && b[1] === 0x02) return v4(2);
  return undefined;
}

/** The 16 bytes of a canonical IPv6 address (as ipLiteral gives it: hex groups, no dotted tail). */
function ipv6Bytes(address: string): number[] {
  const [head = '', tail] = address.split('::') as [string, string | undefined];
  const groups = (text: string) => (text === '' ? [] : text.split(':'));
  const all = tail === undefined ? groups(head) : [...groups(head), ...Array<string>(8 - groups(head).length - groups(tail).length).fill('0'), ...groups(tail)];
  return all.flatMap((group) => {
    const n = parseInt(group, 16);
    return [n >> 8, n & 0xff];
  });
}

/** What kind of special-purpose address this is, looking through the IPv4 address it carries; undefined for a public one. */
function specialPurposeKind(address: ResolvedAddress): string | undefined {
  for (const candidate of [address, embeddedIPv4(address)]) {
    if (!candidate) continue;
    for (const [kind, list] of SPECIAL_PURPOSE_LISTS) if (list.check(candidate.address, familyName(candidate))) return kind;
  }
  return undefined;
}

/** Resolves a host name to all its addresses (as the HTTP client would: getaddrinfo, /etc/hosts included). */
export type Resolver = (hostname: string) => Promise<readonly ResolvedAddress[]>;

const RESOLVE_TIMEOUT_MS = 5_000;

const systemResolver: Resolver = (hostname) =>
  new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(Object.assign(new Error('DNS lookup timed out'), { code: 'ETIMEOUT' })), RESOLVE_TIMEOUT_MS);
    lookup(hostname, { all: true, verbatim: true }, (error, addresses) => {
      clearTimeout(timer);
      if (error) reject(error);
      else resolve(addresses.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 })));
    });
  });

export type DestinationCheck =
  /** The addresses a delivery may connect to (every one of them checked). */
  | { readonly allowed: true; readonly addresses: readonly ResolvedAddress[] }
  /** The URL names, or its host resolves only to, addresses that may not receive webhooks. */
  | { readonly allowed: false; readonly reason: 'not_allowed'; readonly message: string }
  /** The host could not be resolved now: nothing to judge (a registration is kept, a delivery fails). */
  | { readonly allowed: false; readonly reason: 'unresolved'; readonly message: string };

/** The rule, with the operator's exceptions and a resolver. */
export class WebhookDestinations {
  constructor(
    private readonly allowed: AllowedDestinations = NO_ALLOWED_DESTINATIONS,
    private readonly resolve: Resolver = systemResolver,
  ) {}

  /** Why this address may not receive webhooks (its kind), or undefined when it may. */
  refusal(address: ResolvedAddress): string | undefined {
    const embedded = embeddedIPv4(address);
    // An allowed address is allowed in every spelling, the IPv6 forms that carry it included.
    if (this.allowed.addresses.check(address.address, familyName(address)) || (embedded && this.allowed.addresses.check(embedded.address, 'ipv4')))
      return undefined;
    return specialPurposeKind(address);
  }

  /** Checks an http(s) URL: its IP literal, or every address its host name resolves to now. */
  async check(url: URL): Promise<DestinationCheck> {
    const literal = ipLiteral(url.hostname);
    if (literal) {
      const kind = this.refusal(literal);
      return kind ? { allowed: false, reason: 'not_allowed', message: `${literal.address} is a ${kind} address` } : { allowed: true, addresses: [literal] };
    }
    const host = url.hostname.toLowerCase().replace(/\.$/, '');
    let resolved: readonly ResolvedAddress[];
    try {
      // RFC 6761: localhost names are loopback, whatever a resolver would say.
      resolved =
        host === 'localhost' || host.endsWith('.localhost')
          ? LOOPBACK
          : (await this.resolve(host)).flatMap((a) => ipLiteral(a.address.replace(/%.*$/, '')) ?? []);
    } catch (error) {
      return { allowed: false, reason: 'unresolved', message: resolutionFailure(error) };
    }
    if (resolved.length === 0) return { allowed: false, reason: 'unresolved', message: 'host not found' };
    if (this.allowed.hosts.has(host)) return { allowed: true, addresses: resolved };
    // Only the allowed addresses are kept: a name that also resolves to an internal address is never connected there.
    const addresses = resolved.filter((a) => this.refusal(a) === undefined);
    if (addresses.length === 0) {
      const kinds = [...new Set(resolved.map((a) => this.refusal(a)))].join(', ');
      return { allowed: false, reason: 'not_allowed', message: `${host} resolves to ${kinds} addresses only` };
    }
    return { allowed: true, addresses };
  }
}

const LOOPBACK: readonly ResolvedAddress[] = [
  { address: '127.0.0.1', family: 4 },
  { address: '::1', family: 6 },
];

function resolutionFailure(error: unknown): string {
  const code = (error as { code?: string }).code;
  if (code === 'ENOTFOUND' || code === 'ENODATA' || code === 'EAI_NONAME') return 'host not found';
  if (code === 'ETIMEOUT') return 'DNS lookup timed out';
  return `DNS lookup failed${code ? ` (${code})` : ''}`;
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for node:http(s) that answers with the checked addresses only: the connection goes to
 * an address the rule just accepted, and a second DNS answer (rebinding) cannot switch it.
 */
export function pinnedLookup(addresses: readonly ResolvedAddress[]): (hostname: string, options: LookupOptions, callback: LookupCallback) => void {
  return (_hostname, options, callback) => {
    const family = options.family === 'IPv4' ? 4 : options.family === 'IPv6' ? 6 : options.family;
    const candidates = family === 4 || family === 6 ? addresses.filter((a) => a.family === family) : addresses;
    const first = candidates[0];
    if (!first) {
      callback(Object.assign(new Error('no checked address of the requested family'), { code: 'ENOTFOUND' }), '', 0);
      return;
    }
    if (options.all)
      callback(
        null,
        candidates.map((a) => ({ address: a.address, family: a.family })),
      );
    else callback(null, first.address, first.family);
  };
}
