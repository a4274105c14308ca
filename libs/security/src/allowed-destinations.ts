import { BlockList, isIPv4, isIPv6 } from 'node:net';
import { domainToASCII } from 'node:url';

/**
 * The destinations an operator allows for outgoing requests (WEBHOOK_ALLOWED_HOSTS), parsed: a
 * platform primitive, so that libs/config can refuse a bad list at start-up without depending on
 * the webhooks context, which applies it (libs/webhooks/src/delivery/destinations.ts).
 */

export interface ResolvedAddress {
  readonly address: string;
  readonly family: 4 | 6;
}

/** WEBHOOK_ALLOWED_HOSTS, parsed: host names, and addresses and CIDR blocks. */
export interface AllowedDestinations {
  /** The entries in canonical form (for logs). */
  readonly entries: readonly string[];
  /** Lower-case ASCII host names, without a trailing dot: whatever they resolve to is allowed. */
  readonly hosts: ReadonlySet<string>;
  readonly addresses: BlockList;
}

export const NO_ALLOWED_DESTINATIONS: AllowedDestinations = { entries: [], hosts: new Set(), addresses: new BlockList() };

/**
 * Parses a comma-separated list of host names, IP addresses (any spelling: `127.0.0.1`,
 * `2130706433`, `[::1]`) and CIDR blocks (`10.20.0.0/16`, `fd00::/8`). Every bad entry is a problem.
 */
export function parseAllowedDestinations(text: string | undefined): { allowed: AllowedDestinations; problems: string[] } {
  const problems: string[] = [];
  const entries: string[] = [];
  const hosts = new Set<string>();
  const addresses = new BlockList();
  for (const entry of (text ?? '')
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e !== '')) {
    const slash = entry.lastIndexOf('/');
    if (slash >= 0) {
      const base = ipLiteral(entry.slice(0, slash));
      const prefixText = entry.slice(slash + 1);
      const prefix = Number(prefixText);
      if (!base || !/^\d{1,3}$/.test(prefixText) || prefix > (base.family === 4 ? 32 : 128)) {
        problems.push(notAnEntry(entry));
        continue;
      }
      addresses.addSubnet(base.address, prefix, familyName(base));
      entries.push(`${base.address}/${prefix}`);
      continue;
    }
    const address = ipLiteral(entry);
    if (address) {
      addresses.addAddress(address.address, familyName(address));
      entries.push(address.address);
      continue;
    }
    const host = hostName(entry);
    if (!host) {
      problems.push(notAnEntry(entry));
      continue;
    }
    hosts.add(host);
    entries.push(host);
  }
  return { allowed: { entries, hosts, addresses }, problems };
}

const notAnEntry = (entry: string) => `"${entry}" is not a host name, an IP address or a CIDR block (e.g. billing.internal, 127.0.0.1, 10.20.0.0/16, fd00::/8)`;

/**
 * The address an IP literal names, in canonical form, whatever its spelling (WHATWG host parsing:
 * `2130706433`, `0x7f.1`, `0177.0.0.1` and `127.1` are all 127.0.0.1; IPv6 is compressed, lower-case
 * hex); undefined for anything else, host names included.
 */
export function ipLiteral(host: string): ResolvedAddress | undefined {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  if (isIPv6(bare)) {
    // A zone index (fe80::1%eth0) picks an interface: nothing a webhook needs.
    if (bare.includes('%')) return undefined;
    return { address: new URL(`http://[${bare}]/`).hostname.slice(1, -1), family: 6 };
  }
  // Only characters an IPv4 spelling uses, so that no user-info, port or path rides along.
  if (!/^[0-9a-fx.]+$/i.test(bare)) return undefined;
  let parsed: string;
  try {
    parsed = new URL(`http://${bare}/`).hostname;
  } catch {
    return undefined;
  }
  return isIPv4(parsed) ? { address: parsed, family: 4 } : undefined;
}

/** A lower-case ASCII (IDNA) host name without a trailing dot, or undefined if `text` is none. */
function hostName(text: string): string | undefined {
  const ascii = domainToASCII(text).replace(/\.$/, '');
  const label = '[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?';
  return new RegExp(`^(?=.{1,253}$)${label}(?:\\.${label})*$`).test(ascii) ? ascii : undefined;
}

const familyName = (address: ResolvedAddress) => (address.family === 4 ? 'ipv4' : 'ipv6');
