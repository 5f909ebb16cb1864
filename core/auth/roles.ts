/** Roles of DESIGN.md's accounts: the server checks them, the dashboards show what each may do. */
export const ROLES = ['operator', 'service', 'engineer', 'admin', 'customer'] as const;
export type Role = (typeof ROLES)[number];

/**
 * The service company's own roles. A contract with access `signed-in` admits these only: a
 * `customer` account (a customer's own staff, scoped to that customer's sites) reads only the routes
 * whose contract lists it, so a new route stays closed to customers until it says otherwise.
 */
export const STAFF_ROLES = ['operator', 'service', 'engineer', 'admin'] as const satisfies readonly Role[];
