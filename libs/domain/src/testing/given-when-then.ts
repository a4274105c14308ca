import { DomainError, type RefusalKind } from '../shared/errors';

export interface Decider<State, Command, Event> {
  readonly initialState: State;
  decide(command: Command, state: State): Event[];
  evolve(state: State, event: Event): State;
}

/**
 * Given/when/then for deciders (Emmett style):
 *   const given = deciderSpec(decider);
 *   given(pastEvents).when(command).then(expectedEvents);
 *   given(pastEvents).when(command).thenThrows('conflict', 'line_cancelled');
 * A refusal is a thrown DomainError, so a refused command can never have emitted anything.
 */
export function deciderSpec<State, Command, Event>(decider: Decider<State, Command, Event>) {
  return function given(events: readonly Event[] = []) {
    return {
      when(command: Command) {
        const state = events.reduce(decider.evolve, decider.initialState);
        const run = () => decider.decide(command, state);
        return {
          /** Asserts the emitted events: equal to a list, or checked by a function. Returns them. */
          then(expected: Event[] | ((emitted: Event[]) => void)): Event[] {
            const emitted = run();
            if (typeof expected === 'function') expected(emitted);
            else expect(emitted).toEqual(expected);
            return emitted;
          },
          /** Asserts a refusal by kind and code (and details, if given). Returns the error for message checks. */
          thenThrows(kind: RefusalKind, code: string, details?: Record<string, unknown>): DomainError {
            let error: unknown;
            try {
              run();
            } catch (e) {
              error = e;
            }
            expect(error).toBeInstanceOf(DomainError);
            const refusal = error as DomainError;
            expect({ kind: refusal.kind, code: refusal.code }).toEqual({ kind, code });
            if (details) expect(refusal.details).toEqual(expect.objectContaining(details));
            return refusal;
          },
          /** The state after the past events and the emitted ones. */
          thenState(): State {
            return run().reduce(decider.evolve, state);
          },
        };
      },
    };
  };
}
