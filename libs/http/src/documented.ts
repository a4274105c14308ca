// A route's success body is documented by a response class (@ApiProperty on every field), while
// its handler builds the answer from the read models' own types. Both are written by hand, so they
// are compared by the compiler: the one type below is the answer's only when the two are the same
// shape, and a handler typed by it stops compiling the day a field is added, dropped, made optional
// or retyped on one side only.

/** A type with `readonly` dropped at every depth: the answer's types guard their fields, the response classes need not. */
type Shape<T> = T extends readonly (infer Item)[] ? Shape<Item>[] : T extends object ? { -readonly [K in keyof T]: Shape<T[K]> } : T;

/** Whether A and B are the same type: the same fields, the same optionality, the same types, at every depth. */
type Same<A, B> = (<T>() => T extends Shape<A> ? 1 : 2) extends <T>() => T extends Shape<B> ? 1 : 2 ? true : false;

/**
 * `Answer` when the response class that documents it has exactly its shape, else `never`: the
 * result type of a route's query or command (`Query<Documented<Answer, Response>>`), or of the
 * controller method that answers without one, so that the handler no longer compiles when they differ.
 */
export type Documented<Answer, Response> = Same<Answer, Response> extends true ? Answer : never;
