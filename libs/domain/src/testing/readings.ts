/*
 * Tables for the kernel's readers of what people and clients write (ids, dates, instants): each
 * answers what it read, or undefined for what it does not read, rather than throwing, so that the
 * caller names the field at fault.
 */

/** One case per row, `%p` in the title standing for its input and then its answer: `read(input)` answers `expected`. */
export function itReads<In, Out>(title: string, read: (input: In) => Out, rows: readonly (readonly [input: In, expected: Out])[]): void {
  it.each(rows)(title, (input, expected) => {
    expect(read(input)).toBe(expected);
  });
}

/** One case per input, `%p` in the title standing for it: `read` reads nothing there. */
export function itRefuses<In>(title: string, read: (input: In) => unknown, inputs: readonly In[]): void {
  it.each(inputs)(title, (input) => {
    expect(read(input)).toBeUndefined();
  });
}
