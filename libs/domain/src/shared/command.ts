import type { AccessedBy, Actor } from './actor';

/** Every command carries who asked and when (from the injected clock, never the system clock). */
export interface CommandMetadata {
  readonly actor: Actor;
  /** ISO-8601 UTC instant at which the command is decided. */
  readonly now: string;
}

export interface Command<Type extends string, Data> {
  readonly type: Type;
  readonly data: Data;
  readonly metadata: CommandMetadata;
}

/** A domain event before it is stored: a past-tense type and a JSON payload. */
export interface DomainEvent<Type extends string, Data> {
  readonly type: Type;
  readonly data: Data;
}

export interface StreamModel<State, Event extends DomainEvent<string, unknown>> {
  readonly initialState: State;
  evolve(state: State, event: Event): State;
  /**
   * Several events at once, for states whose evolve copies something that grows with the stream
   * (a partner's customer registry): equal to reducing with evolve, cheaper on long streams.
   */
  fold?(state: State, events: readonly Event[]): State;
}

/** Who issued the command, as its events record it: a copy of the claims, never the caller's own arrays. */
export function accessedBy(command: Command<string, unknown>): AccessedBy {
  const { sub, tid, roles } = command.metadata.actor;
  return { sub, tid, roles: [...roles] };
}
