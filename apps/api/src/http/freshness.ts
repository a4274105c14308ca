import type { Response } from 'express';
import { parsePosition, type Position } from '@csp/event-store';
import type { Freshness } from '@csp/application';
import { badRequest } from './api-error';

/** `?atLeast=<position>` (or the X-Min-Position header): the position a query must reflect. */
export function minimumPosition(query: string | undefined, header: string | undefined): Position | undefined {
  const text = query ?? header;
  if (text === undefined) return undefined;
  const position = text.length <= 64 ? parsePosition(text) : undefined;
  if (!position) throw badRequest('atLeast', 'atLeast must be a position returned by a command (e.g. "42")');
  return position;
}

export function reportFreshness(response: Response, freshness: Freshness): void {
  response.setHeader('X-Read-Model-Position', freshness.position);
  if (!freshness.reached) response.setHeader('X-Read-Model-Stale', 'true');
}
