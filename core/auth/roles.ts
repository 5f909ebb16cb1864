/** Roles of DESIGN.md's accounts: the server checks them, the dashboards show what each may do. */
export const ROLES = ['operator', 'service', 'engineer', 'admin'] as const;
export type Role = (typeof ROLES)[number];
