import type { Role } from '../../../core/auth/roles.ts';

export type { Role };

export type PageName =
  | 'overview'
  | 'alarms'
  | 'service'
  | 'calendar'
  | 'quality'
  | 'engineer'
  | 'reports'
  | 'admin';

const PAGES: Record<Role, PageName[]> = {
  operator: ['overview', 'alarms'],
  service: ['overview', 'alarms', 'service', 'calendar', 'quality', 'reports'],
  engineer: ['overview', 'alarms', 'quality', 'engineer', 'reports'],
  admin: ['overview', 'alarms', 'service', 'calendar', 'quality', 'engineer', 'reports', 'admin'],
  // A customer's own staff: its stations, alarms and tickets (the server scopes them to its sites).
  customer: ['overview', 'alarms', 'service'],
};

/** Pages a role sees in the navigation, in order. Station detail is open to every role. */
export function pagesFor(role: Role): PageName[] {
  return PAGES[role];
}

/** What the server lets each role do (the server checks again; this only hides what would be refused). */
export const can = {
  acknowledge: (role: Role) => role === 'operator' || role === 'admin',
  transitionTickets: (role: Role) => role === 'service' || role === 'admin',
  /** POST /api/tickets: a manual ticket from a customer's call or email. */
  createTickets: (role: Role) => role === 'service' || role === 'admin',
  /** POST and DELETE /api/alarms/shelves. */
  shelveAlarms: (role: Role) => role === 'operator' || role === 'admin',
  controlSimulator: (role: Role) => role === 'engineer' || role === 'admin',
  /** Health indicators and the maintenance calendar on the station page: the service company's own. */
  seeStationCare: (role: Role) => role !== 'customer',
  /** PUT /api/assets/stations/:site/:station/acceptance. */
  recordAcceptance: (role: Role) => role === 'service' || role === 'admin',
  /** POST /api/stations/:site/:station/commands: reset, duty, set point, start and stop. */
  sendCommands: (role: Role) => role === 'operator' || role === 'engineer' || role === 'admin',
  /** The quality loop's lists and changes (/api/quality/*). */
  manageQuality: (role: Role) => role === 'service' || role === 'engineer' || role === 'admin',
  /** GET /api/customers/:id/export.zip. */
  exportCustomer: (role: Role) => role === 'engineer' || role === 'admin',
} as const;
