import type { z } from 'zod';
import type { calendarSchema } from '../../../core/api/maintenance.ts';
import { planName } from '../../../core/i18n/render.ts';
import type { Locale } from './format.ts';

/** What GET /api/maintenance/calendar answers. */
export type MaintenanceCalendar = z.infer<typeof calendarSchema>;

/** One visit on the calendar: a follow-up or a calendar-based plan, on a day. */
export interface CalendarEntry {
  due: string;
  site: string;
  station: string;
  kind: 'follow_up' | 'preventive';
  /** Follow-up: months after acceptance. */
  months?: number;
  /** Preventive: the plan's name. */
  plan?: string;
  ticketId: number | null;
  state: string | null;
}

/** A run-hour plan of one pump: due at a run-hour count, not on a date. */
export interface RunHourEntry {
  site: string;
  station: string;
  pump: number;
  plan: string;
  runHours: number;
  dueAtRunHours: number;
  ticketId: number | null;
  state: string | null;
}

/** The calendar with the built-in plans' names in the reader's language (core/i18n). Pure. */
export function withPlanNames(calendar: MaintenanceCalendar, locale: Locale): MaintenanceCalendar {
  return { ...calendar, plans: calendar.plans.map((p) => ({ ...p, name: planName(locale, p.id, p.name) })) };
}

/** The calendar's dated visits, soonest first, optionally of one station. Pure. */
export function calendarEntries(calendar: MaintenanceCalendar, station?: string): CalendarEntry[] {
  const planName = new Map(calendar.plans.map((p) => [p.id, p.name]));
  return calendar.stations
    .filter((s) => station === undefined || s.station === station)
    .flatMap((s): CalendarEntry[] => [
      ...s.followUps.map((f) => ({
        due: f.due,
        site: s.site,
        station: s.station,
        kind: 'follow_up' as const,
        months: f.months,
        ticketId: f.ticketId,
        state: f.state,
      })),
      ...s.preventive
        .filter((p) => p.due !== null)
        .map((p) => ({
          due: p.due!,
          site: s.site,
          station: s.station,
          kind: 'preventive' as const,
          plan: planName.get(p.planId) ?? p.planId,
          ticketId: p.ticketId,
          state: p.state,
        })),
    ])
    .sort((a, b) => a.due.localeCompare(b.due) || a.station.localeCompare(b.station));
}

/** Run-hour plans per pump, the nearest to due first. Pure. */
export function runHourEntries(calendar: MaintenanceCalendar, station?: string): RunHourEntry[] {
  const planName = new Map(calendar.plans.map((p) => [p.id, p.name]));
  return calendar.stations
    .filter((s) => station === undefined || s.station === station)
    .flatMap((s) =>
      s.preventive
        .filter((p) => p.pump !== null && p.dueAtRunHours !== null && p.runHours !== undefined)
        .map((p) => ({
          site: s.site,
          station: s.station,
          pump: p.pump!,
          plan: planName.get(p.planId) ?? p.planId,
          runHours: p.runHours!,
          dueAtRunHours: p.dueAtRunHours!,
          ticketId: p.ticketId,
          state: p.state,
        })),
    )
    .sort((a, b) => a.dueAtRunHours - a.runHours - (b.dueAtRunHours - b.runHours));
}

/** Entries grouped by month (`YYYY-MM`), months in order. Pure. */
export function byMonth(
  entries: readonly CalendarEntry[],
): Array<{ month: string; entries: CalendarEntry[] }> {
  const months = new Map<string, CalendarEntry[]>();
  for (const entry of entries) {
    const month = entry.due.slice(0, 7);
    months.set(month, [...(months.get(month) ?? []), entry]);
  }
  return [...months.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([month, list]) => ({ month, entries: list }));
}
