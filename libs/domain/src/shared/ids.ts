/**
 * The product's ids — partner and customer tenants, customers, orders, links, requests — are UUIDs,
 * written in lower case in events and read models. Input may spell one in either case (tenant GUIDs
 * are often copied upper-case from other consoles) and means the same id; any other text names
 * nothing. One rule for every edge that takes an id (API paths and queries, the CLIs).
 */
const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The id in its stored (lower-case) form, or undefined when the text is not one. */
export function parseId(text: unknown): string | undefined {
  return typeof text === 'string' && ID.test(text) ? text.toLowerCase() : undefined;
}

/** Whether the text is an id as stored (lower case), as index entries and cursors hold them. */
export const isStoredId = (text: string): boolean => parseId(text) === text;
