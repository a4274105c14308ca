import { conflict, entitledVersions, invalid, notFound, type Catalog, type CancellationPolicy } from '@csp/domain';
import type { Selection } from './order.events';
import type { LineState, OrderState, PlacedOrder } from './order.state';

/* What the order's deciders share: what they decide with, the instant, and the checks every command on a placed order makes. */

export interface OrderEnvironment {
  readonly catalog: Catalog;
  readonly policies: readonly CancellationPolicy[];
}

/** The decision instant, parsed once: epoch ms for arithmetic, canonical ISO for events. */
export interface Now {
  readonly ms: number;
  readonly iso: string;
}

export function placed(state: OrderState): PlacedOrder {
  if (state.status !== 'placed') throw notFound('order_not_found', 'No such order');
  return state;
}

/** Checks a selection against the line's rights; returns the active line. */
export function selectedLine(order: PlacedOrder, selection: Selection): LineState {
  const line = order.lines.find((l) => l.line === selection.line);
  if (!line) throw invalid('unknown_line', `The order has no line ${selection.line}`, { field: 'line' });
  const versions = entitledVersions(line.versions, line.downgradeDepth);
  if (!versions.includes(selection.version)) {
    throw invalid('version_not_entitled', `Version "${selection.version}" is not covered by this licence; entitled versions: ${versions.join(', ')}`, {
      field: 'version',
      entitledVersions: versions,
    });
  }
  if (!line.languages.includes(selection.language)) {
    throw invalid('language_not_available', `Language "${selection.language}" is not offered; available: ${line.languages.join(', ')}`, { field: 'language' });
  }
  if (!line.fileTypes.includes(selection.fileType)) {
    throw invalid('file_type_not_available', `File type "${selection.fileType}" is not offered; available: ${line.fileTypes.join(', ')}`, {
      field: 'fileType',
    });
  }
  if (line.status === 'cancelled') throw conflict('line_cancelled', `Line ${line.line} of this order is cancelled`, { line: line.line });
  return line;
}

export const selectionOf = (d: Selection): Selection => ({ line: d.line, version: d.version, language: d.language, fileType: d.fileType });
