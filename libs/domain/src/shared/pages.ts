import { invalid } from './errors';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './limits';

/*
 * Every list of the read models pages alike: a page is a key range of an ordered index, read from
 * where the previous page stopped, so that a page costs what it holds whatever the history, and
 * entries added between two pages neither repeat nor hide others (keyset paging).
 */

/** The page a caller asks for: after `cursor` (the previous page's `nextCursor`, a position in the list), `limit` entries. */
export interface PageRequest {
  readonly cursor?: string;
  readonly limit?: number;
}

/** A page request checked: a cursor of the list's own and a size within bounds. */
export interface CheckedPage {
  readonly cursor?: string;
  readonly limit: number;
}

/**
 * The page asked for, or a refusal naming `limit` or `cursor`: a limit is a whole number from 1 to
 * MAX_PAGE_SIZE (DEFAULT_PAGE_SIZE when absent), and a cursor a position `isPosition` recognises as
 * one the list hands out.
 */
export function checkedPage(page: PageRequest, isPosition: (cursor: string) => boolean): CheckedPage {
  const limit = page.limit ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE)
    throw invalid('invalid_limit', `limit must be a whole number from 1 to ${MAX_PAGE_SIZE}`, { field: 'limit' });
  if (page.cursor !== undefined && !isPosition(page.cursor))
    throw invalid('invalid_cursor', 'cursor must be a nextCursor returned by this query', { field: 'cursor' });
  return page.cursor !== undefined ? { cursor: page.cursor, limit } : { limit };
}

/** A range of an ordered index, as read models' stores read one (bounds on the entries' byte order). */
export interface IndexRange {
  readonly from?: string;
  readonly after?: string;
  readonly before?: string;
  readonly limit?: number;
}

/** Whatever keeps ordered indexes in namespaces `N` (the read-model store). */
export interface OrderedIndexes<N> {
  entries(ns: N, index: string, range?: IndexRange): Promise<string[]>;
}

export interface IndexPage {
  readonly entries: string[];
  /** The page's last entry, when more follow: the next page's cursor. */
  readonly nextCursor?: string;
}

/**
 * One page of an index within `range` (`from` inclusive, `before` exclusive): the entries after the
 * cursor. One entry more than the page is read, to know whether another page follows.
 */
export async function indexPage<N>(
  store: OrderedIndexes<N>,
  ns: N,
  index: string,
  page: CheckedPage,
  range: Pick<IndexRange, 'from' | 'before'> = {},
): Promise<IndexPage> {
  const entries = await store.entries(ns, index, { ...range, ...(page.cursor !== undefined ? { after: page.cursor } : {}), limit: page.limit + 1 });
  if (entries.length <= page.limit) return { entries };
  const shown = entries.slice(0, page.limit);
  return { entries: shown, nextCursor: shown[shown.length - 1]! };
}
