/** A domain as the registry keeps and compares it: trimmed, lower case, without the root's trailing dot. */
export const normaliseDomain = (domain: string) => domain.trim().toLowerCase().replace(/\.$/, '');
