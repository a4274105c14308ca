/** An optional field, as a required one of its own kind: so that comparing shapes both ways also compares which fields are optional. */
interface Optional<T> {
  readonly 'sent only when present': T;
}

/**
 * What JSON makes of a value, each field kept (required or Optional): a field that may be
 * `undefined` is left out when it is (JSON.stringify drops it), so it is optional; arrays are
 * arrays, and `readonly` says nothing on the wire.
 */
type Json<T> = T extends string | number | boolean | null
  ? T
  : T extends readonly (infer E)[]
    ? Json<E>[]
    : { [K in keyof T]-?: undefined extends T[K] ? Optional<Json<Exclude<T[K], undefined>>> : Json<T[K]> };

/**
 * A route's answer: the response class that documents it (`Documented`, the schema of its 2xx in
 * the OpenAPI document), provided that it has exactly the JSON shape of what the handler builds
 * (`Sent`), compared both ways. A command or query is typed `Command<Answer<Sent, Documented>>`:
 * a field sent and not documented, documented and not sent, optional on one side only or typed
 * otherwise turns the result into an error type, and the handler that implements the command no
 * longer compiles.
 */
export type Answer<Sent, Documented> = [Json<Sent>] extends [Json<Documented>]
  ? [Json<Documented>] extends [Json<Sent>]
    ? Documented
    : Differ<Sent, Documented>
  : Differ<Sent, Documented>;

/** What the compiler shows when they differ: both shapes, to compare. */
interface Differ<Sent, Documented> {
  readonly 'the response class and the answer sent differ': { sent: Json<Sent>; documented: Json<Documented> };
}

/**
 * The same check, in the form a controller method declares when it returns its query's or
 * command's result (`Promise<Documented<QueryResult<Q>, Response>>`): the answer's own type when
 * the response class has exactly its JSON shape, else `never`.
 */
export type Documented<Sent, Response> = [Answer<Sent, Response>] extends [Response] ? Sent : never;
