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
