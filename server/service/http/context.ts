import type { EventEmitter } from 'node:events';
import type { AlarmStore } from '../db/alarm-store.ts';
import type { AssetStore } from '../db/asset-store.ts';
import type { TicketStore } from '../db/ticket-store.ts';
import type { ServiceStats } from '../service-layer.ts';

/** What the routes need of the service layer. */
export interface RouteContext {
  alarms: AlarmStore;
  tickets: TicketStore;
  assets: AssetStore;
  clock: () => number;
  events: EventEmitter;
  stats: () => ServiceStats;
  /** Called after shelves change, so the engine sees them at once. */
  shelvesChanged(): Promise<void>;
  /** Called after a site's thresholds change. */
  thresholdsChanged(site: string): void;
}
