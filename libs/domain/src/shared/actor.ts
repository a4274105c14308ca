/** Who acts: the verified claims of the caller's token. */
export interface Actor {
  readonly sub: string;
  /** Tenant id of the caller: a partner tenant, or a customer tenant for customer admins. */
  readonly tid: string;
  readonly roles: readonly string[];
}

export const PARTNER_ROLES = ['admin-agent', 'global-admin', 'account-admin', 'referral-admin', 'marketing-content-admin'] as const;
export type PartnerRole = (typeof PARTNER_ROLES)[number];
export const CUSTOMER_ADMIN_ROLE = 'customer-global-admin';
export const BACK_OFFICE_ROLE = 'back-office';
export const ANALYST_ROLE = 'analyst';

/** Who did it, as recorded inside audit facts (also in every event's metadata). */
export interface AccessedBy {
  /** User id (the token's `sub` claim). */
  sub: string;
  /** Tenant id of the user (the token's `tid` claim): a partner tenant, or a customer tenant for customer admins. */
  tid: string;
  /** The user's roles when acting (the token's `roles` claim). */
  roles: string[];
}

/** What an action is on, for authorisation: the partner that owns it and, when known, the customer's tenant. */
export interface TenantResource {
  readonly partnerTenantId: string;
  readonly customerTenantId?: string;
}
