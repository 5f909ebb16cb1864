import { join } from 'node:path';
import type { Router } from 'express';
import type { Kysely } from 'kysely';
import type { ServiceEventMap } from '../core/live/events.ts';
import { TypedEmitter } from '../core/live/typed-emitter.ts';
import { type Logger, silentLogger } from '../core/log.ts';
import { type NotifySettingsInput, notifySettingsSchema } from '../core/notify/settings.ts';
import type { EdgeStatus, Telemetry } from '../core/telemetry/payloads.ts';
import { alarmRoutes } from './alarms/alarm-routes.ts';
import { AlarmStore } from './alarms/alarm-store.ts';
import { AlarmTicketEngine, type ServiceStats } from './alarms/alarm-ticket-engine.ts';
import type { AlarmRule } from './alarms/catalogue.ts';
import { assetRoutes } from './assets/asset-routes.ts';
import { AssetStore } from './assets/asset-store.ts';
import { seedDemoAssets } from './assets/demo-seed.ts';
import { fleetRoutes } from './assets/fleet-routes.ts';
import { FleetStore } from './assets/fleet-store.ts';
import { AuditLog } from './audit/audit-log.ts';
import { auditRoutes } from './audit/audit-routes.ts';
import { openServiceDatabase } from './db/open-database.ts';
import type { ServiceDatabase } from './db/schema.ts';
import type { RouteContext } from './http/route-context.ts';
import { StationHub } from './ingest/station-hub.ts';
import { notifyRoutes } from './notify/notify-routes.ts';
import { NotifyService } from './notify/notify-service.ts';
import { NotifyStore } from './notify/notify-store.ts';
import { partsRoutes } from './parts/parts-routes.ts';
import { portalRoutes } from './portal/portal-routes.ts';
import { qualityRoutes } from './quality/quality-routes.ts';
import { type QualityPolicy, qualityServices } from './quality/quality-services.ts';
import { reportRoutes } from './reports/report-routes.ts';
import { defaultServiceQuality, type ServiceQualitySource } from './reports/service-quality.ts';
import { recordSchedule } from './retention/record-schedule.ts';
import { retentionRoutes } from './retention/retention-routes.ts';
import { serviceRecordRoutes } from './service-record/service-record-routes.ts';
import { slaRoutes } from './sla/sla-routes.ts';
import { SlaServices } from './sla/sla-services.ts';
import { type TicketPolicy, type TicketPolicyInput, ticketPolicySchema } from './tickets/policy.ts';
import { ticketRoutes } from './tickets/ticket-routes.ts';
import { TicketStore } from './tickets/ticket-store.ts';

export type { ActingUser, Role } from './auth/roles.ts';
export type ServiceEvents = TypedEmitter<ServiceEventMap>;
export type { TicketPolicy, TicketPolicyInput } from './tickets/policy.ts';

export interface ServiceLayerOptions {
  /** PostgreSQL URL (pg Pool). Default: embedded PGlite. */
  databaseUrl?: string;
  /** PGlite lives under `dataDir/service`; undefined or ':memory:' keeps it in memory. Ignored with databaseUrl. */
  dataDir?: string;
  /** Time source in ms. Default Date.now. */
  clock?: () => number;
  /** Which alarms open tickets and the reopen window. Default: general and major alarms and failovers; 72 h. */
  policy?: TicketPolicyInput;
  /** Alarm rules. Default DEFAULT_RULES from alarms/catalogue.ts. */
  rules?: readonly AlarmRule[];
  /** How often a tick looks for SLA escalations, in ms of the tick's clock. Default 10000. */
  escalateEveryMs?: number;
  /**
   * The records' schedule (half-year report, yearly retention), checked every this many ms of the
   * tick's clock, the first check one interval after the first tick; 0 or absent: off (the server's
   * main turns it on).
   */
  recordScheduleEveryMs?: number;
  /** The company's time zone for the half-year reports (1 Jan and 1 Jul at its midnight). Default Asia/Shanghai. */
  reportTimeZone?: string;
  /** SLA compliance and satisfaction for the half-year report (issue 18 plugs in here). */
  serviceQuality?: ServiceQualitySource;
  /** After start, how long edges have to report back before an offline status raises an alarm, ms. Default 120000. */
  edgeStartGraceMs?: number;
  /** Seeds the demo customer, site `demo`, stations st1..st3 and their contract. Default false. */
  seedDemo?: boolean;
  logger?: Logger;
  /**
   * The server's station hub: the rules follow its stations' live messages in its order. Default: a
   * hub of the layer's own, fed by onTelemetry and onEdgeStatus.
   */
  hub?: StationHub;
  /**
   * Notification settings from the server's config file: when given, they replace the stored ones
   * at start (admins' later changes over the API last until the next start). Default: as stored.
   */
  notifySettings?: NotifySettingsInput;
  /**
   * When a resolved fault opens a quality action, who owns it and when it is due
   * (core/quality/quality-trigger.ts). Default: repeat within 30 days, 3 in 90 days, due in 14 days,
   * owner `admin`.
   */
  quality?: Partial<QualityPolicy>;
}

export interface ServiceLayer {
  /**
   * Hands a station's telemetry (validated by the caller against telemetrySchema) to the hub;
   * settles once the rules have evaluated it. With a shared hub, ingest feeds the hub directly.
   */
  onTelemetry(t: Telemetry, receivedAt: number): Promise<void>;
  onEdgeStatus(s: EdgeStatus, receivedAt: number): Promise<void>;
  /** The hub the rules follow. */
  hub: StationHub;
  /** Timers: on/off delays, comms lost by age, SLA escalations. Call every second or so. */
  tick(now: number): Promise<void>;
  /** Alarm, ticket and asset routes: mount at /api after the auth middleware sets `req.user` (401 without). */
  routers: Router[];
  /** Alarm and ticket changes and threshold edits (core/live/events.ts ServiceEventMap). */
  events: ServiceEvents;
  stats(): ServiceStats;
  stores: { alarms: AlarmStore; tickets: TicketStore; assets: AssetStore; audit: AuditLog };
  /** The service database itself, for modules with tables of their own (maintenance plans, surveys). */
  db: Kysely<ServiceDatabase>;
  /** Escalation chains, customer notices, channels and the message log. */
  notify: NotifyService;
  close(): Promise<void>;
}

/** Opens the service database, restores standing alarms and returns the layer. */
export async function startServiceLayer(options: ServiceLayerOptions = {}): Promise<ServiceLayer> {
  const logger = options.logger ?? silentLogger();
  const clock = options.clock ?? Date.now;
  const policy: TicketPolicy = ticketPolicySchema.parse(options.policy ?? {});
  const pgliteDir =
    options.dataDir && options.dataDir !== ':memory:' ? join(options.dataDir, 'service') : undefined;
  const database = await openServiceDatabase({
    ...(options.databaseUrl ? { databaseUrl: options.databaseUrl } : {}),
    ...(pgliteDir ? { pgliteDir } : {}),
  });
  const alarms = new AlarmStore(database.db);
  const tickets = new TicketStore(database.db);
  const assets = new AssetStore(database.db);
  const audit = new AuditLog(database.db, clock);
  const sla = new SlaServices(database.db, assets);
  // A listener that fails (the live stream, a model) must not fail the alarm or ticket that was stored.
  const events: ServiceEvents = new TypedEmitter<ServiceEventMap>((error) =>
    logger.error({ err: error }, 'service event listener failed'),
  );
  try {
    await assets.seedPolicies();
    if (options.seedDemo) await seedDemoAssets(assets);
  } catch (error) {
    await database.close();
    throw error;
  }
  const hub =
    options.hub ??
    new StationHub({
      onError: (error, where) => logger.error({ err: error, ...where }, 'station consumer failed'),
    });
  const engine = new AlarmTicketEngine({
    hub,
    db: database.db,
    alarms,
    tickets,
    assets,
    policy,
    logger,
    events,
    ...(options.rules ? { rules: options.rules } : {}),
    ...(options.edgeStartGraceMs !== undefined ? { startGraceMs: options.edgeStartGraceMs } : {}),
  });
  await engine.restore(clock());
  const notifyStore = new NotifyStore(database.db);
  if (options.notifySettings)
    await notifyStore.saveSettings(notifySettingsSchema.parse(options.notifySettings), clock());
  const notify = new NotifyService({
    store: notifyStore,
    alarms,
    tickets,
    assets,
    events,
    clock,
    logger: logger.child({ part: 'notify' }),
  });
  await notify.start();
  const unsubscribe = hub.subscribe(engine);
  logger.info({ database: database.kind }, 'service layer started');

  const context: RouteContext = {
    alarms,
    tickets,
    assets,
    fleet: new FleetStore(database.db, clock),
    audit,
    clock,
    events,
    sla,
    quality: qualityServices(database.db, options.quality),
    stats: () => engine.stats,
    shelvesChanged: () => engine.refreshShelves(clock()),
    thresholdsChanged: (site) => {
      engine.forgetThresholds(site);
      events.emit('thresholds', { site });
    },
  };
  const reportDeps = {
    db: database.db,
    assets,
    clock,
    quality: options.serviceQuality ?? defaultServiceQuality(database.db),
    ...(options.reportTimeZone ? { timeZone: options.reportTimeZone } : {}),
  };
  // The fleet's routes come first: their import body may be larger than the others' parsers allow.
  const routers = [
    fleetRoutes(context),
    alarmRoutes(context),
    ticketRoutes(context),
    qualityRoutes(context),
    slaRoutes(context),
    portalRoutes(context, database.db),
    partsRoutes(context, database.db),
    serviceRecordRoutes(context, database.db, notify),
    assetRoutes(context),
    auditRoutes(audit),
    notifyRoutes({ store: notifyStore, service: notify, audit, clock }),
    reportRoutes(reportDeps),
    retentionRoutes({ db: database.db, audit, clock }),
  ];
  const schedule = recordSchedule({ ...reportDeps, audit, logger });
  const scheduleEveryMs = options.recordScheduleEveryMs ?? 0;
  let lastScheduleStep: number | undefined;
  let closed = false;
  let ticking: Promise<void> = Promise.resolve();
  let tickRunning = false;
  let lastEscalation = Number.NEGATIVE_INFINITY;
  const escalateEveryMs = options.escalateEveryMs ?? 10_000;

  return {
    onTelemetry: (t, receivedAt) => hub.accept(t, receivedAt).done,
    onEdgeStatus: (s, receivedAt) => hub.edgeStatus(s, receivedAt),
    hub,
    tick: (now) => {
      // A tick still running when the next is due is skipped, not queued: a slow database must
      // not build an ever longer queue of ticks (and the memory it holds).
      if (closed || tickRunning) return ticking;
      tickRunning = true;
      ticking = (async () => {
        try {
          await engine.evaluateAll(now);
          // Escalations read every open ticket: deadlines are minutes apart, so every few seconds is enough.
          if (now - lastEscalation >= escalateEveryMs || now < lastEscalation) {
            lastEscalation = now;
            const { policies, calendar } = await sla.clockData();
            await engine.escalate(now, policies, calendar);
          }
          // Not awaited: a slow SMTP server or robot must not hold up the alarm rules' timers.
          void notify.tick(now);
          if (scheduleEveryMs > 0) {
            lastScheduleStep ??= now;
            if (now - lastScheduleStep >= scheduleEveryMs) {
              lastScheduleStep = now;
              await schedule.step();
            }
          }
        } catch (error) {
          engine.counters.failures += 1;
          logger.error({ err: error }, 'service tick failed');
        } finally {
          tickRunning = false;
        }
      })();
      return ticking;
    },
    routers,
    events,
    stats: () => engine.stats,
    stores: { alarms, tickets, assets, audit },
    db: database.db,
    notify,
    close: async () => {
      if (closed) return;
      closed = true;
      unsubscribe();
      await ticking;
      await hub.idle();
      await notify.close();
      await database.close();
    },
  };
}
