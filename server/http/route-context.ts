import type { AlarmStore } from '../alarms/alarm-store.ts';
import type { ServiceStats } from '../alarms/alarm-ticket-engine.ts';
import type { AssetStore } from '../assets/asset-store.ts';
import type { FleetStore } from '../assets/fleet-store.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import type { QualityServices } from '../quality/quality-services.ts';
import type { ServiceEvents } from '../service-layer.ts';
import type { SlaServices } from '../sla/sla-services.ts';
import type { TicketStore } from '../tickets/ticket-store.ts';

/** What the routes need of the service layer. */
export interface RouteContext {
  alarms: AlarmStore;
  tickets: TicketStore;
  assets: AssetStore;
  /** Master data with retirement, and the fleet import's transaction. */
  fleet: FleetStore;
  /** Every admin action and remote command is recorded here. */
  audit: AuditLog;
  clock: () => number;
  events: ServiceEvents;
  /** SLA clocks' calendar, pauses and reports. */
  sla: SlaServices;
  /** Quality actions, the case library and non-conforming products (server/quality). */
  quality: QualityServices;
  stats: () => ServiceStats;
  /** Called after shelves change, so the engine sees them at once. */
  shelvesChanged(): Promise<void>;
  /** Called after a site's thresholds change. */
  thresholdsChanged(site: string): void;
}
