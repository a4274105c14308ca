import type { Actor, TenantResource } from '@csp/domain';

/**
 * The one table that says who may do what (SPEC §1 and §2). Controllers name an action; the guard
 * refuses callers holding none of its roles (403); handlers check the tenant relation against the
 * resource once loaded, answering 404 rather than 403 so that other tenants' data is not revealed.
 */
export type Action =
  | 'catalog.read'
  | 'customer.register'
  | 'customer.read'
  | 'customer.destroyKeyMaterial'
  | 'software.read'
  | 'order.purchase'
  | 'order.read'
  | 'order.revealKey'
  | 'order.issueDownloadLink'
  | 'order.cancellationEligibility'
  | 'order.cancel'
  | 'refundRequest.submit'
  | 'refundRequest.read'
  | 'refundRequest.decide'
  | 'activityLog.read'
  | 'credits.read'
  | 'analytics.read'
  | 'events.subscribe'
  | 'webhooks.manage'
  | 'migration.kmsDeadline';

/**
 * partner: the resource belongs to the caller's partner tenant (tid = partnerTenantId);
 * customer: the resource belongs to the caller's own customer tenant (tid = customerTenantId);
 * all: no tenant relation (operator roles such as back office, or data that is not a tenant's).
 */
export type Relation = 'partner' | 'customer' | 'all';

export interface Rule {
  readonly roles: readonly string[];
  readonly relation: Relation;
}

const ANY_ROLE = '*';
const PARTNER_STAFF = ['admin-agent', 'global-admin', 'account-admin'] as const;
const AUDITORS = ['global-admin', 'account-admin', 'referral-admin', 'marketing-content-admin'] as const;
/** The customer's own admin, for what belongs to its tenant. */
const CUSTOMER_ADMIN: Rule = { roles: ['customer-global-admin'], relation: 'customer' };
/** What the partner's staff may read, and the customer's own admin. */
const STAFF_OR_CUSTOMER_ADMIN: readonly Rule[] = [{ roles: PARTNER_STAFF, relation: 'partner' }, CUSTOMER_ADMIN];
/** What the partner's agents may do to an order's keys and links, and the customer's own admin. */
const AGENT_OR_CUSTOMER_ADMIN: readonly Rule[] = [{ roles: ['admin-agent'], relation: 'partner' }, CUSTOMER_ADMIN];
/** The partner's admins for their own partner; analysts and the back office across partners. */
const PARTNER_ADMINS_OR_OPERATORS: readonly Rule[] = [
  { roles: ['global-admin', 'account-admin'], relation: 'partner' },
  { roles: ['analyst', 'back-office'], relation: 'all' },
];

export const POLICY: Readonly<Record<Action, readonly Rule[]>> = {
  'catalog.read': [{ roles: [ANY_ROLE], relation: 'all' }],
  'migration.kmsDeadline': [{ roles: [ANY_ROLE], relation: 'all' }],
  'customer.register': [{ roles: PARTNER_STAFF, relation: 'partner' }],
  'customer.read': STAFF_OR_CUSTOMER_ADMIN,
  'customer.destroyKeyMaterial': [
    { roles: ['global-admin'], relation: 'partner' },
    { roles: ['back-office'], relation: 'all' },
  ],
  'software.read': STAFF_OR_CUSTOMER_ADMIN,
  'order.purchase': [{ roles: ['admin-agent'], relation: 'partner' }],
  'order.read': STAFF_OR_CUSTOMER_ADMIN,
  'order.revealKey': AGENT_OR_CUSTOMER_ADMIN,
  'order.issueDownloadLink': AGENT_OR_CUSTOMER_ADMIN,
  'order.cancellationEligibility': [{ roles: PARTNER_STAFF, relation: 'partner' }],
  'order.cancel': [{ roles: ['admin-agent'], relation: 'partner' }],
  'refundRequest.submit': [{ roles: ['admin-agent', 'global-admin'], relation: 'partner' }],
  'refundRequest.read': [
    { roles: ['admin-agent', 'global-admin', 'account-admin'], relation: 'partner' },
    { roles: ['back-office'], relation: 'all' },
  ],
  'refundRequest.decide': [{ roles: ['back-office'], relation: 'all' }],
  'activityLog.read': [{ roles: AUDITORS, relation: 'partner' }],
  'credits.read': PARTNER_ADMINS_OR_OPERATORS,
  'analytics.read': PARTNER_ADMINS_OR_OPERATORS,
  'events.subscribe': [{ roles: ['back-office'], relation: 'all' }],
  'webhooks.manage': [{ roles: ['back-office'], relation: 'all' }],
};

export type { TenantResource } from '@csp/domain';

export type Decision = 'allow' | 'forbidden' | 'not-found';

function rulesHeldBy(action: Action, actor: Actor): Rule[] {
  return POLICY[action].filter((rule) => rule.roles.includes(ANY_ROLE) || rule.roles.some((role) => actor.roles.includes(role)));
}

/** Whether the caller holds a role that could ever perform the action (else 403). */
/** Whether every authenticated caller may perform the action on anything: then it is never refused as forbidden. */
export function everyoneMay(action: Action): boolean {
  return POLICY[action].some((rule) => rule.roles.includes(ANY_ROLE) && rule.relation === 'all');
}

export function mayAttempt(action: Action, actor: Actor): boolean {
  return rulesHeldBy(action, actor).length > 0;
}

function relationHolds(relation: Relation, actor: Actor, resource: TenantResource): boolean {
  switch (relation) {
    case 'all':
      return true;
    case 'partner':
      return sameTenant(resource.partnerTenantId, actor.tid);
    case 'customer':
      return resource.customerTenantId !== undefined && sameTenant(resource.customerTenantId, actor.tid);
  }
}

const sameTenant = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** Decides an action on a loaded resource: 403 without a suitable role, 404 for another tenant's resource. */
export function authorize(action: Action, actor: Actor, resource: TenantResource): Decision {
  const rules = rulesHeldBy(action, actor);
  if (rules.length === 0) return 'forbidden';
  return rules.some((rule) => relationHolds(rule.relation, actor, resource)) ? 'allow' : 'not-found';
}

/** What part of a collection the caller may list: everything, or one partner's or customer's share. */
export type Scope =
  { readonly kind: 'all' } | { readonly kind: 'partner'; readonly partnerTenantId: string } | { readonly kind: 'customer'; readonly customerTenantId: string };

export function scopeOf(action: Action, actor: Actor): Scope | undefined {
  const rules = rulesHeldBy(action, actor);
  if (rules.some((r) => r.relation === 'all')) return { kind: 'all' };
  if (rules.some((r) => r.relation === 'partner')) return { kind: 'partner', partnerTenantId: actor.tid };
  if (rules.some((r) => r.relation === 'customer')) return { kind: 'customer', customerTenantId: actor.tid };
  return undefined;
}
