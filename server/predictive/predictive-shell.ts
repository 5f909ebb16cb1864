import type { Logger } from '../../core/log.ts';
import { predictedDueAt } from '../../core/sla/due-dates.ts';
import type { Telemetry } from '../../core/telemetry/payloads.ts';
import { vibrationZonesOf } from '../alarms/thresholds.ts';
import type { AssetStore } from '../assets/asset-store.ts';
import { StationHub } from '../ingest/station-hub.ts';
import type { ServiceEvents } from '../service-layer.ts';
import { healthMeaning } from '../telemetry/point-mapping.ts';
import type { TelemetryPoint } from '../telemetry/telemetry-store.ts';
import type { TicketStore } from '../tickets/ticket-store.ts';
import { OPEN_STATES } from '../tickets/workflow.ts';
import { type PredictiveConfig, type PredictiveConfigInput, predictiveConfigSchema } from './config.ts';
import { newestAt } from './curve-window.ts';
import { evidenceCoded, evidenceOf, evidenceText, opensPredictiveTicket } from './evidence.ts';
import { goodReadings } from './extract.ts';
import { INDICATORS, type IndicatorId } from './indicator-specs.ts';
import { trackKey } from './indicator-track.ts';
import { feedLiveCurve, type LiveCurve, newLiveCurve, restoreLiveCurve } from './live-curve.ts';
import { CURVE_EVERY_MINUTES, judgeCurve, recordExplanation } from './live-explanations.ts';
import type { HealthModelSnapshots } from './model-snapshots.ts';
import {
  feedStation,
  hourlyValues,
  newStationModel,
  resetAfterMaintenance,
  type StationModel,
  stationHealth,
} from './station-model.ts';
import type { Prediction } from './trend.ts';

const CURVE_EVERY_MS = CURVE_EVERY_MINUTES * 60_000 - 5_000;

/** Fault class (ticket kind) of predictive-maintenance tickets. */
export const PREDICTIVE_FAULT_CLASS = 'predictive';

export interface PredictiveShellOptions {
  tickets: TicketStore;
  assets: AssetStore;
  /** The service layer's events: predictive tickets are announced there, resolutions read from there. */
  events: ServiceEvents;
  /** Model settings. Default predictive defaults (lead time 14 days). */
  config?: PredictiveConfigInput;
  /** Lead time per contract id, days, overriding `config.leadTimeDays`. Default none. */
  leadTimeDaysByContract?: Record<string, number>;
  /** Called with a station's health after each hour it closes (socket.io 'health'). Default none. */
  onHealth?: (update: HealthUpdate) => void;
  /**
   * Stores the hourly health series (`health.<indicator>`, `health.pump[N].<indicator>`, scores) as
   * each hour closes: the telemetry store's batched write. Default: kept in memory only.
   */
  writeSeries?: (points: TelemetryPoint[]) => Promise<void>;
  /** Where each station's model is saved (every `snapshotEveryMs` and at close) and restored from. Default none. */
  snapshots?: HealthModelSnapshots;
  /** Wall-clock time between two saves of a station's model, ms. Default 6 h. */
  snapshotEveryMs?: number;
  logger: Logger;
  /**
   * The server's station hub: the models follow its stations' live messages in its order. Default:
   * a hub of the shell's own, fed by onTelemetry.
   */
  hub?: StationHub;
  /**
   * The wall clock, ms: paces the curve judgements and the snapshots. Default Date.now. The analytics
   * bench runs it on its simulated clock, so the curve window is judged as often as on a live server.
   */
  clock?: () => number;
}

export interface HealthUpdate {
  site: string;
  station: string;
  at: number;
  health: ReturnType<typeof stationHealth>;
}

export interface StationEntry {
  site: string;
  station: string;
  model: StationModel;
  config: PredictiveConfig;
  /** Track keys with an open predictive ticket (as far as this instance knows). */
  flagged: Set<string>;
  /** Wall-clock time the model was last saved (or loaded), ms. */
  savedAt: number;
  /** The pump-curve models on the live stream (its last four hours of minutes, saved with the model). */
  curve: LiveCurve;
  /** Wall-clock time the curve window was last judged, ms. */
  curveJudgedAt: number;
}

export interface PredictiveStats {
  telemetry: number;
  failures: number;
  ticketsOpened: number;
  /** Explanations of the live curve models that became active. */
  explanations: number;
  /** Curve windows judged. */
  curveJudgements: number;
  episodes: number;
  outOfOrder: number;
  /** Hourly health series points handed to the store. */
  seriesPoints: number;
  /** Station models restored from a snapshot, and snapshots saved. */
  restored: number;
  saved: number;
  /** Saved curve windows that could not be read (the station's model restored, its curve learnt anew). */
  curvesRefused: number;
}

/**
 * The thin shell around the pure health models: feeds each valid telemetry message to its station's
 * model (one at a time per station), opens a predictive ticket when a crossing is predicted inside the
 * lead time, and forgets a trend when the maintenance that fixes it resolves the ticket.
 */
export class PredictiveShell {
  readonly stations = new Map<string, StationEntry>();
  readonly stats: PredictiveStats = {
    telemetry: 0,
    failures: 0,
    ticketsOpened: 0,
    explanations: 0,
    curveJudgements: 0,
    episodes: 0,
    outOfOrder: 0,
    seriesPoints: 0,
    restored: 0,
    saved: 0,
    curvesRefused: 0,
  };
  readonly config: PredictiveConfig;
  private readonly hub: StationHub;
  private readonly now: () => number;
  private readonly unsubscribe: () => void;
  private readonly onTicket = (event: {
    change?: string;
    ticket?: {
      faultClass?: string | null;
      subject?: string;
      site?: string;
      station?: string;
      pump?: number | null;
    };
  }) => {
    if (event.change !== 'resolve' || !event.ticket) return;
    this.maintenanceDone(event.ticket);
  };

  // A site's machine class sets the vibration zones: its stations' models take the new ones.
  private readonly onThresholds = (event: { site?: string }) => {
    for (const entry of this.stations.values()) {
      if (entry.site !== event.site) continue;
      void this.configFor(entry.site, entry.station).then(
        (config) => {
          entry.config = config;
        },
        (error: unknown) =>
          this.options.logger.error({ err: error, site: entry.site }, 'site settings unreadable'),
      );
    }
  };

  constructor(private readonly options: PredictiveShellOptions) {
    this.config = predictiveConfigSchema.parse(options.config ?? {});
    this.now = options.clock ?? Date.now;
    options.events.on('ticket', this.onTicket);
    options.events.on('thresholds', this.onThresholds);
    this.hub = options.hub ?? new StationHub();
    // The hub hands on each live message in its station's order; failures are counted and logged.
    this.unsubscribe = this.hub.subscribe({
      onTelemetry: (t) =>
        this.feed(t).catch((error: unknown) => {
          this.stats.failures += 1;
          this.options.logger.error(
            { err: error, site: t.site, station: t.station },
            'predictive model failed',
          );
        }),
    });
  }

  /**
   * Hands a telemetry message (validated by the caller) to the hub; settles once the models took
   * it. Never throws. With a shared hub, ingest feeds the hub directly.
   */
  onTelemetry(t: Telemetry): Promise<void> {
    return this.hub.accept(t, this.now()).done;
  }

  /** Waits for queued messages (tests, shutdown). */
  async idle(): Promise<void> {
    await this.hub.idle();
  }

  /**
   * Judges every station's curve window now, at its newest minute, whatever the pace: after a history
   * backfill fed hours in seconds, so the station page explains them at once. Returns the explanations
   * that became active.
   */
  async judgeCurvesNow(): Promise<number> {
    await this.idle();
    let fresh = 0;
    for (const entry of this.stations.values()) {
      const last = newestAt(entry.curve.window);
      if (last === undefined) continue;
      fresh += (await judgeCurve(entry.curve, last, entry, this.options.tickets, { due: true })).length;
      entry.curveJudgedAt = this.now();
      this.stats.curveJudgements += 1;
    }
    this.stats.explanations += fresh;
    return fresh;
  }

  /** Latest run hours per pump of a station (for run-hour maintenance plans). */
  runHours(site: string, station: string): Record<number, number> {
    return { ...(this.entry(site, station)?.model.runHours ?? {}) };
  }

  /** Stops listening, lets queued messages finish and saves every station's model. */
  async close(): Promise<void> {
    this.options.events.off('ticket', this.onTicket);
    this.options.events.off('thresholds', this.onThresholds);
    this.unsubscribe();
    await this.idle();
    await Promise.all([...this.stations.values()].map((entry) => this.save(entry)));
  }

  private async save(entry: StationEntry): Promise<void> {
    const snapshots = this.options.snapshots;
    if (!snapshots || entry.model.lastAt === null) return;
    entry.savedAt = this.now();
    try {
      await snapshots.save(
        entry.site,
        entry.station,
        entry.model,
        entry.config.windowDays + 1,
        entry.savedAt,
        entry.curve,
      );
      this.stats.saved += 1;
    } catch (error) {
      this.stats.failures += 1;
      this.options.logger.error(
        { err: error, site: entry.site, station: entry.station },
        'health model not saved',
      );
    }
  }

  entry(site: string, station: string): StationEntry | undefined {
    return this.stations.get(`${site}/${station}`);
  }

  /** The station's entry, made at its first message (`at`, ms) from its saved model if there is one. */
  private async entryFor(site: string, station: string, at: number): Promise<StationEntry> {
    const key = `${site}/${station}`;
    let entry = this.stations.get(key);
    if (!entry) {
      const saved = await this.options.snapshots?.load(site, station);
      // Predictions already ticketed (before a restart, or by another instance) add no occurrences.
      const open = await this.options.tickets.list({ site, station, states: [...OPEN_STATES] });
      entry = {
        site,
        station,
        model: saved?.model ?? newStationModel(),
        config: await this.configFor(site, station),
        flagged: new Set(open.filter((t) => t.fault_class === PREDICTIVE_FAULT_CLASS).map((t) => t.subject)),
        savedAt: this.now(),
        curve: saved?.curve ? restoreLiveCurve(saved.curve, at) : newLiveCurve(),
        curveJudgedAt: 0,
      };
      this.stations.set(key, entry);
      if (saved) {
        this.stats.restored += 1;
        const lastAt = saved.model.lastAt;
        this.options.logger.info(
          { site, station, lastAt: lastAt ? new Date(lastAt).toISOString() : null },
          'health model restored',
        );
      }
      if (saved?.curveRefused) {
        this.stats.curvesRefused += 1;
        this.options.logger.warn({ site, station }, 'saved curve windows unreadable: the curve learns anew');
      }
    }
    return entry;
  }

  /** The server's settings with the site's vibration zones (its machine class) and the contract's lead time. */
  private async configFor(site: string, station: string): Promise<PredictiveConfig> {
    const config = {
      ...this.config,
      vibrationZones: vibrationZonesOf(await this.options.assets.thresholds(site)),
    };
    const byContract = this.options.leadTimeDaysByContract;
    if (!byContract) return config;
    const row = (await this.options.assets.stations(site)).find((s) => s.id === station);
    const lead = row?.contract_id ? byContract[row.contract_id] : undefined;
    return lead === undefined ? config : { ...config, leadTimeDays: lead };
  }

  private async feed(t: Telemetry): Promise<void> {
    this.stats.telemetry += 1;
    const entry = await this.entryFor(t.site, t.station, t.ts);
    const readings = goodReadings(t.values);
    const before = entry.model.outOfOrder;
    const change = feedStation(entry.model, t.ts, readings, entry.config);
    this.stats.outOfOrder += entry.model.outOfOrder - before;
    this.stats.episodes += change.episodes.length;
    // Judged at most every CURVE_EVERY_MINUTES of wall-clock time too: a history backfill feeding days
    // in seconds must not judge the window at every message.
    if (feedLiveCurve(entry.curve, t.ts, readings) && this.now() - entry.curveJudgedAt >= CURVE_EVERY_MS) {
      const fresh = await judgeCurve(entry.curve, t.ts, entry, this.options.tickets);
      if (entry.curve.evaluatedAt === t.ts) {
        entry.curveJudgedAt = this.now();
        this.stats.curveJudgements += 1;
      }
      this.stats.explanations += fresh.length;
    }
    for (const { key, indicator, pump, prediction } of change.predictions) {
      const track = entry.model.tracks[key];
      if (!track || entry.flagged.has(key)) continue;
      if (opensPredictiveTicket(prediction, track.actionableStreak, entry.config)) {
        await this.openTicket(entry, key, indicator, pump, prediction, t.ts);
      }
    }
    if (change.hourClosed) {
      const health = stationHealth(entry.model, entry.config);
      this.options.onHealth?.({ site: t.site, station: t.station, at: t.ts, health });
      if (this.options.writeSeries && change.closedHourStart !== null) {
        const points = hourlyValues(entry.model, change.closedHourStart, health).map(
          (h): TelemetryPoint => ({
            site: t.site,
            station: t.station,
            meaning: healthMeaning(h.indicator, h.pump),
            ts: h.t,
            value: h.value,
            q: 'good',
          }),
        );
        await this.options.writeSeries(points);
        this.stats.seriesPoints += points.length;
      }
      if (this.now() - entry.savedAt >= (this.options.snapshotEveryMs ?? 6 * 3_600_000))
        await this.save(entry);
    }
  }

  private async openTicket(
    entry: StationEntry,
    key: string,
    indicator: IndicatorId,
    pump: number | null,
    prediction: Prediction,
    at: number,
  ): Promise<void> {
    const evidence = evidenceOf(indicator, pump, prediction);
    const where = pump === null ? '' : ` (pump ${pump})`;
    const days = Math.max(0, Math.round(evidence.daysToThreshold ?? 0));
    const opened = await this.options.tickets.openOrAddOccurrence({
      site: entry.site,
      station: entry.station,
      pump,
      faultClass: PREDICTIVE_FAULT_CLASS,
      subject: key,
      title: `Predictive maintenance: ${evidence.label}${where} to cross ${evidence.threshold} ${evidence.unit} in ~${days} days`,
      titleCode: pump === null ? 'ticket.predictive' : 'ticket.predictiveOn',
      titleParams: {
        indicator,
        threshold: evidence.threshold ?? '?',
        unit: evidence.unit,
        days,
        ...(pump === null ? {} : { subject: `pump[${pump}]` }),
      },
      description: evidenceText(evidence),
      descriptionCode: evidenceCoded(evidence).code,
      descriptionParams: evidenceCoded(evidence).params,
      severity: 'minor',
      at,
      source: 'predictive',
      dueAt: predictedDueAt(evidence.crossingAt === null ? null : Date.parse(evidence.crossingAt), at),
    });
    entry.flagged.add(key);
    for (const x of entry.curve.explanations.filter((e) => e.active))
      await recordExplanation(this.options.tickets, opened.ticket.id, x, at);
    await this.options.tickets.recordOnce(
      opened.ticket.id,
      `evidence:${at}`,
      at,
      'evidence',
      { text: evidenceText(evidence), ...evidenceCoded(evidence) },
      {
        ...evidence,
      },
    );
    if (opened.outcome !== 'occurrence') this.stats.ticketsOpened += 1;
    this.options.logger.info(
      { site: entry.site, station: entry.station, ticket: opened.ticket.id, evidence },
      'predictive ticket',
    );
    this.options.events.emit('ticket', {
      change: opened.outcome,
      ticket: {
        id: opened.ticket.id,
        state: opened.ticket.state,
        site: opened.ticket.site,
        station: opened.ticket.station,
      },
    });
  }

  /** A resolved predictive ticket (or a preventive one on a pump): the model relearns what was fixed. */
  private maintenanceDone(ticket: {
    faultClass?: string | null;
    subject?: string;
    site?: string;
    station?: string;
    pump?: number | null;
  }): void {
    if (!ticket.site || !ticket.station) return;
    const entry = this.entry(ticket.site, ticket.station);
    if (!entry) return;
    if (ticket.faultClass === PREDICTIVE_FAULT_CLASS && ticket.subject) {
      const indicator = INDICATORS.find((i) => trackKey(i, ticket.pump ?? null) === ticket.subject);
      if (indicator) resetAfterMaintenance(entry.model, ticket.pump ?? null, indicator);
      entry.flagged.delete(ticket.subject);
      return;
    }
    if (ticket.faultClass === 'preventive') {
      // A station-wide plan services every pump; a run-hour plan one pump.
      const pumps = ticket.pump != null ? [ticket.pump] : Object.keys(entry.model.runHours).map(Number);
      for (const pump of pumps) resetAfterMaintenance(entry.model, pump, 'run_hours_since_maintenance');
    }
  }
}
