import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ValidateBy, type ValidationArguments, type ValidationOptions } from 'class-validator';
import { decodeCursor } from '@csp/application';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, parseId, type PageRequest } from '@csp/domain';
import { ReadYourWritesQueryDto } from './read-your-writes';

/** A query as Express 5 parses it: a repeated key becomes an array of its values. */
type QueryValues = Readonly<Record<string, unknown>>;

export interface QueryParamRule {
  /** Refused when absent (the `message` says so). */
  readonly required?: boolean;
  /** Whether the text of the parameter is acceptable; `query` is the whole query, for rules between parameters. */
  readonly accepts?: (text: string, query: QueryValues) => boolean;
  /** Why it is refused: a fixed text, or one chosen from the text given (undefined when absent). */
  readonly message: string | ((text: string | undefined, query: QueryValues) => string);
  /** Why a parameter given several times (`a=1&a=2`) is refused; by default "<name> must be given once". */
  readonly repeated?: string;
}

/** Paging numbers, one rule for every list: plain digits only (no sign, exponent, hex, blanks), from min to max. */
export const wholeNumber = (min: number, max: number) => (text: string) => /^\d{1,16}$/.test(text) && Number(text) >= min && Number(text) <= max;

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
/** The month rule as the document states it, for the DTOs' OpenAPI properties. */
export const MONTH_PATTERN = MONTH.source;

/** A month as YYYY-MM (an invoice month). */
export const QueryMonth = () => QueryParam({ accepts: (text) => MONTH.test(text), message: 'month must be YYYY-MM' });

/** The text of a parameter given once, else undefined. */
export const single = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/**
 * A query parameter for the strict pipe: text given at most once that passes the rule. One
 * constraint per parameter, so that the 400 names the parameter with the one message that fits.
 */
export function QueryParam(rule: QueryParamRule): PropertyDecorator {
  return ValidateBy({
    name: 'queryParam',
    validator: {
      validate: (value: unknown, args?: ValidationArguments) => {
        if (value === undefined) return !rule.required;
        if (typeof value !== 'string') return false;
        return rule.accepts?.(value, (args?.object ?? {}) as QueryValues) ?? true;
      },
      defaultMessage: (args?: ValidationArguments) => {
        const value: unknown = args?.value;
        if (value !== undefined && typeof value !== 'string') return rule.repeated ?? `${args?.property ?? 'parameter'} must be given once`;
        return typeof rule.message === 'string' ? rule.message : rule.message(value, (args?.object ?? {}) as QueryValues);
      },
    },
  });
}

/**
 * One of the product's ids (parseId: a UUID in either case), taken in its stored lower-case form.
 * For bodies and query strings alike; `message` says what the id is of.
 */
export function IsId(options: ValidationOptions & { readonly message: string }): PropertyDecorator {
  return both(
    Transform(({ value }: { value: unknown }) => parseId(value) ?? value, { toClassOnly: true }),
    ValidateBy({ name: 'isId', validator: { validate: (value: unknown) => parseId(value) !== undefined } }, options),
  );
}

/** An id as a query parameter: IsId's rule, given once. */
export function QueryId(message: string): PropertyDecorator {
  return both(
    Transform(({ value }: { value: unknown }) => parseId(value) ?? value, { toClassOnly: true }),
    QueryParam({ accepts: (text) => parseId(text) !== undefined, message }),
  );
}

// One way to ask for a page on every list: `limit` (1 to MAX_PAGE_SIZE, DEFAULT_PAGE_SIZE when
// absent) and `cursor` (a nextCursor the same route answered), with the same refusals and the same
// words in the document.

/** `limit`: how many `items` (rows, entries, lines…) the page holds. */
export const QueryLimit = (items: string): PropertyDecorator =>
  both(
    ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE, description: `${items} in the page` }),
    QueryParam({ accepts: wholeNumber(1, MAX_PAGE_SIZE), message: `limit must be a whole number from 1 to ${MAX_PAGE_SIZE}` }),
  );

/** `cursor`: a nextCursor of this route, whose position `isPosition` recognises (anything else is refused, 400). */
const QueryCursor = (isPosition: (position: string) => boolean): PropertyDecorator =>
  both(
    ApiPropertyOptional({ description: 'The `nextCursor` of the previous page, to read the next one; without it, the first page' }),
    QueryParam({ accepts: (text) => decodeCursor(text, isPosition) !== undefined, message: 'cursor must be a nextCursor returned by this route' }),
  );

/**
 * The query of a paged list read from the read models: read-your-writes' `atLeast`, `cursor` and
 * `limit`; `items` names what the list holds, `isPosition` the positions its cursors carry.
 */
export function PagedQueryDto(items: string, isPosition: (position: string) => boolean) {
  class PagedQuery extends ReadYourWritesQueryDto {
    @QueryCursor(isPosition)
    cursor?: string;

    @QueryLimit(items)
    limit?: string;

    /** The page asked for, once the pipe has passed the query: the cursor's position, the size as a number. */
    page(): PageRequest {
      const position = this.cursor !== undefined ? decodeCursor(this.cursor, isPosition) : undefined;
      return { ...(position !== undefined ? { cursor: position } : {}), ...(this.limit !== undefined ? { limit: Number(this.limit) } : {}) };
    }
  }
  return PagedQuery;
}

function both(first: PropertyDecorator, second: PropertyDecorator): PropertyDecorator {
  return (target, property) => {
    first(target, property);
    second(target, property);
  };
}
