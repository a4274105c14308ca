import { createHash } from 'node:crypto';
import type { DataIndex } from './port';

// What the SQL stores share about the data indexes (port.ts DataIndex): which definitions they
// accept and what they call them. Names, types and paths are written into DDL and queries (an
// index is matched by its expressions, so they cannot be parameters): only plain identifiers pass.

const NAME = /^[a-z][a-z0-9_]{0,39}$/;
const EVENT_TYPE = /^[A-Za-z][A-Za-z0-9]{0,99}$/;
const PATH = /^[A-Za-z][A-Za-z0-9]{0,63}(\.[A-Za-z][A-Za-z0-9]{0,63}){0,7}$/;

/** The definition's parts in one canonical order, checked: event types sorted, each with its key and instant paths split. */
export interface CheckedDataIndex {
  readonly name: string;
  /** The name the store gives it: the declared name and a digest of the definition. */
  readonly storedName: string;
  readonly types: readonly { readonly type: string; readonly key: readonly string[]; readonly at: readonly string[] }[];
}

const checked = new WeakMap<DataIndex, CheckedDataIndex>();

export function checkDataIndex(index: DataIndex): CheckedDataIndex {
  let known = checked.get(index);
  if (!known) checked.set(index, (known = check(index)));
  return known;
}

function check(index: DataIndex): CheckedDataIndex {
  if (!NAME.test(index.name)) throw new Error(`Data index name ${JSON.stringify(index.name)} must be lowercase letters, digits and _ (at most 40)`);
  const types = Object.keys(index.fields)
    .sort()
    .map((type) => {
      const fields = index.fields[type]!;
      if (!EVENT_TYPE.test(type)) throw new Error(`Data index ${index.name}: ${JSON.stringify(type)} is not an event type name`);
      for (const path of [fields.key, fields.at])
        if (!PATH.test(path)) throw new Error(`Data index ${index.name}: ${JSON.stringify(path)} is not a dotted path of field names`);
      return { type, key: fields.key.split('.'), at: fields.at.split('.') };
    });
  if (types.length === 0) throw new Error(`Data index ${index.name} covers no event type`);
  const digest = createHash('sha256')
    .update(JSON.stringify(types.map((t) => [t.type, t.key, t.at])))
    .digest('hex')
    .slice(0, 10);
  return { name: index.name, storedName: `events_data_${index.name}_${digest}`, types };
}
