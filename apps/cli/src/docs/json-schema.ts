/**
 * The subset of JSON Schema (draft 2020-12) the event contract uses, and a small validator for it:
 * type, properties, required, additionalProperties, items, enum, const, oneOf. Enough to check
 * real events against the published schemas without a schema library.
 */
export interface JsonSchema {
  $schema?: string;
  $id?: string;
  title?: string;
  description?: string;
  type?: 'string' | 'number' | 'integer' | 'boolean' | 'object' | 'array' | 'null';
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  enum?: readonly (string | number | boolean | null)[];
  const?: string | number | boolean | null;
  oneOf?: JsonSchema[];
  /** Annotation (not a JSON Schema keyword): the schema version a property appeared in, when above 1. */
  'x-since'?: number;
}

export interface SchemaError {
  /** JSON pointer of the offending value, `` for the root. */
  readonly path: string;
  readonly message: string;
}

const KNOWN = new Set(['$schema', '$id', 'title', 'description', 'type', 'properties', 'required', 'additionalProperties', 'items', 'enum', 'const', 'oneOf', 'x-since']);

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function matchesType(type: NonNullable<JsonSchema['type']>, value: unknown): boolean {
  switch (type) {
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'object':
      return typeOf(value) === 'object';
    default:
      return typeOf(value) === type;
  }
}

const pointer = (path: string, key: string | number) => `${path}/${String(key).replace(/~/g, '~0').replace(/\//g, '~1')}`;

/** Every way `value` departs from `schema`; [] when it conforms. Unknown keywords are refused, not ignored. */
export function validate(schema: JsonSchema, value: unknown, path = ''): SchemaError[] {
  const unknown = Object.keys(schema).filter((k) => !KNOWN.has(k));
  if (unknown.length > 0) throw new Error(`The validator does not implement ${unknown.join(', ')} (at ${path || 'the root'})`);
  const errors: SchemaError[] = [];
  if (schema.oneOf) {
    const matching = schema.oneOf.filter((s) => validate(s, value, path).length === 0).length;
    if (matching !== 1) errors.push({ path, message: `must match exactly one of ${schema.oneOf.length} shapes (matches ${matching})` });
  }
  if (schema.const !== undefined && value !== schema.const) errors.push({ path, message: `must be ${JSON.stringify(schema.const)}` });
  if (schema.enum && !schema.enum.includes(value as string)) errors.push({ path, message: `must be one of ${schema.enum.map((v) => JSON.stringify(v)).join(', ')}` });
  if (schema.type && !matchesType(schema.type, value)) {
    errors.push({ path, message: `must be of type ${schema.type}, is ${typeOf(value)}` });
    return errors;
  }
  if (typeOf(value) === 'object' && (schema.type === 'object' || schema.properties)) {
    const object = value as Record<string, unknown>;
    for (const key of schema.required ?? []) {
      if (!(key in object)) errors.push({ path: pointer(path, key), message: 'is required' });
    }
    for (const [key, child] of Object.entries(object)) {
      const declared = schema.properties?.[key];
      if (declared) errors.push(...validate(declared, child, pointer(path, key)));
      else if (schema.additionalProperties === false) errors.push({ path: pointer(path, key), message: 'is not allowed (additionalProperties: false)' });
      else if (typeof schema.additionalProperties === 'object') errors.push(...validate(schema.additionalProperties, child, pointer(path, key)));
    }
  }
  if (Array.isArray(value) && schema.items) {
    value.forEach((item, i) => errors.push(...validate(schema.items!, item, pointer(path, i))));
  }
  return errors;
}
