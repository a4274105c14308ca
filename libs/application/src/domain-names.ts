import { domainToASCII } from 'node:url';

/**
 * A customer's domain as the registry compares it (SPEC §1: case-insensitively and after IDNA
 * normalisation): the ASCII (punycode) form of the name, so `Bücher.example` and
 * `xn--bcher-kva.example` are one domain. Every domain a request names passes through here before
 * the domain's rules see it; a name IDNA cannot map is passed on as given, for the registry's own
 * check to refuse with the field named.
 */
export function idnaDomain(domain: string): string {
  const trimmed = domain.trim();
  return domainToASCII(trimmed) || trimmed;
}
