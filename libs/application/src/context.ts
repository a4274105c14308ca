import type { Actor } from '@csp/domain';
import { authorize, type Action, type TenantResource } from '@csp/security';
import { DomainError, notFound, schemaVersionOf } from '@csp/domain';
import type { EventMetadata } from '@csp/event-store';

/** Who is asking, and the ids that tie what they cause together across services. */
export interface CommandContext {
  readonly actor: Actor;
  readonly correlationId: string;
  /** Id of the request that caused the command; recorded as every event's causation id. */
  readonly requestId: string;
}

/**
 * The metadata every event carries. `schemaVersion` is the current version of the event's type
 * (libs/domain/src/schema/event-versions.ts), so a reader knows the shape of its payload.
 */
export function eventMetadata(
  context: CommandContext,
  occurredAt: Date,
  tenants: { tenantId?: string; partnerTenantId?: string },
  eventType: string,
): EventMetadata {
  return {
    occurredAt: occurredAt.toISOString(),
    actor: { sub: context.actor.sub, tid: context.actor.tid, roles: [...context.actor.roles] },
    ...(tenants.tenantId !== undefined ? { tenantId: tenants.tenantId } : {}),
    ...(tenants.partnerTenantId !== undefined ? { partnerTenantId: tenants.partnerTenantId } : {}),
    correlationId: context.correlationId,
    causationId: context.requestId,
    schemaVersion: schemaVersionOf(eventType),
  };
}

/** 403: the caller's role may not perform the action, whatever the resource. */
export const forbidden = (): DomainError => new DomainError('forbidden', 'forbidden', 'Your role may not perform this action');

/**
 * Applies the policy table to a loaded resource: 403 for a role that may not act, 404 for a
 * resource of another tenant (so its existence is not revealed).
 */
export function assertAllowed(action: Action, actor: Actor, resource: TenantResource | undefined, what: string): void {
  if (resource === undefined) throw notFound(`${what.replace(/ /g, '_')}_not_found`, `No such ${what}`);
  const decision = authorize(action, actor, resource);
  if (decision === 'forbidden') throw forbidden();
  if (decision === 'not-found') throw notFound(`${what.replace(/ /g, '_')}_not_found`, `No such ${what}`);
}
