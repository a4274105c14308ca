import type { CommandBus } from '@nestjs/cqrs';
import { SpanStatusCode } from '@opentelemetry/api';
import { DomainError } from '@csp/domain';
import { EventStoreUnavailableError, WrongExpectedRevisionError } from '@csp/event-store';
import { tracer, type Metrics } from '@csp/observability';
import { KeyMaterialDestroyedError } from '@csp/security';
import { ThrottledError } from './throttling/key-access-throttle';

/** A command's outcome as a label: `accepted`, `conflict`, or the refusal's stable code (a bounded set, never an id). */
function outcomeOf(error: unknown): string {
  if (error instanceof WrongExpectedRevisionError) return 'conflict';
  if (error instanceof DomainError) return error.code === 'concurrent_change' ? 'conflict' : error.code;
  if (error instanceof ThrottledError) return 'rate_limited';
  if (error instanceof EventStoreUnavailableError) return 'store_unavailable';
  return error instanceof KeyMaterialDestroyedError ? 'key_material_destroyed' : 'error';
}

/**
 * Every command through the bus, counted by outcome (csp_commands_total) and handled in a span of
 * its own (the decide and append spans are its children). @nestjs/cqrs has no hook around a
 * handler, so the bus's execute is wrapped once, where the API is built.
 */
export function observeCommands(bus: CommandBus, metrics: Metrics | undefined): void {
  const execute = bus.execute.bind(bus) as (command: object, ...rest: unknown[]) => Promise<unknown>;
  const observed = (command: object, ...rest: unknown[]): Promise<unknown> => {
    const name = command.constructor.name.replace(/Command$/, '');
    return tracer.startActiveSpan(`command ${name}`, { attributes: { 'csp.command': name } }, async (span) => {
      let outcome = 'accepted';
      try {
        return await execute(command, ...rest);
      } catch (error) {
        outcome = outcomeOf(error);
        // A refusal is the command working as it should; only what the product did not expect is an error.
        if (outcome === 'error' || outcome === 'store_unavailable') span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error)?.name ?? 'Error' });
        throw error;
      } finally {
        span.setAttribute('csp.outcome', outcome);
        metrics?.commands.inc({ command: name, outcome });
        span.end();
      }
    });
  };
  Object.assign(bus, { execute: observed });
}
