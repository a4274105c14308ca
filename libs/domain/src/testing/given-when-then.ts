import { DomainError, type RefusalKind } from '../shared/errors';

export interface Decider<State, Command, Event> {
  readonly initialState: State;
  decide(command: Command, state: State): Event[];
  evolve(state: State, event: Event): State;
}

/**
 * Given/when/then for deciders (Emmett style): given past events, when a command is decided,
 * then these events are emitted — or it is refused with this kind and code.
 */
export function specFor<State, Command, Event>(decider: Decider<State, Command, Event>) {
  return (given: readonly Event[] = []) => ({
    when(command: Command) {
      const state = given.reduce(decider.evolve, decider.initialState);
      const run = () => decider.decide(command, state);
      return {
        then(expected: Event[] | ((events: Event[]) => void)): Event[] {
          const events = run();
          if (typeof expected === 'function') expected(events);
          else expect(events).toEqual(expected);
          return events;
        },
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
        /** The state after the given events and the emitted ones. */
        thenState(): State {
          return run().reduce(decider.evolve, state);
        },
      };
    },
  });
}
