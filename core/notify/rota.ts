import { wallClock } from '../time/wall-clock.ts';
import type { ChainStep, RotaShift, Team } from './settings.ts';

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** ISO weekday (1 Monday .. 7 Sunday) and minute of the day of `ms` in `timeZone`. Pure. */
export function weekMinute(ms: number, timeZone: string): { day: number; minute: number } {
  const w = wallClock(ms, timeZone);
  const weekday = new Date(Date.UTC(w.year, w.month - 1, w.day)).getUTCDay();
  return { day: weekday === 0 ? 7 : weekday, minute: w.hour * 60 + w.minute };
}

/** Whether a shift covers (day, minute); one ending at or before its start runs past midnight. Pure. */
export function shiftCovers(shift: RotaShift, day: number, minute: number): boolean {
  const from = minutesOf(shift.from);
  const to = minutesOf(shift.to);
  if (from < to) return shift.day === day && minute >= from && minute < to;
  const next = shift.day === 7 ? 1 : shift.day + 1;
  return (shift.day === day && minute >= from) || (next === day && minute < to);
}

/** Who is on call in `team` at `ms` (the first shift that covers it), or undefined. Pure. */
export function onCallAt(team: Team, ms: number): string | undefined {
  const { day, minute } = weekMinute(ms, team.timeZone);
  return team.rota.find((shift) => shiftCovers(shift, day, minute))?.username;
}

/** The team that looks after `site`: the first naming it, else the first with no sites (all). Pure. */
export function teamOf(teams: readonly Team[], site: string): Team | undefined {
  return teams.find((t) => t.sites.includes(site)) ?? teams.find((t) => t.sites.length === 0);
}

/** Whether `ms` falls in quiet hours `from`-`to` of `timeZone` (past midnight when to <= from). Pure. */
export function inQuietHours(
  quiet: { from: string; to: string } | null,
  ms: number,
  timeZone: string,
): boolean {
  if (!quiet) return false;
  const { minute } = weekMinute(ms, timeZone);
  const from = minutesOf(quiet.from);
  const to = minutesOf(quiet.to);
  return from < to ? minute >= from && minute < to : minute >= from || minute < to;
}

/**
 * When quiet hours that hold at `ms` end: the next time the wall clock of `timeZone` reads `to`
 * (a minute boundary), or `ms` itself when `ms` is not in quiet hours. Pure.
 */
export function quietHoursEnd(
  quiet: { from: string; to: string } | null,
  ms: number,
  timeZone: string,
): number {
  if (!quiet || !inQuietHours(quiet, ms, timeZone)) return ms;
  const { minute } = weekMinute(ms, timeZone);
  const left = (minutesOf(quiet.to) - minute + 1440) % 1440 || 1440;
  return Math.floor(ms / 60_000) * 60_000 + left * 60_000;
}

/** The user a chain step goes to in `team` at `ms`, or undefined when the team names nobody. Pure. */
export function recipientOf(step: ChainStep, team: Team | undefined, ms: number): string | undefined {
  if (!team) return undefined;
  if (step.to === 'on_call') return onCallAt(team, ms);
  return step.to === 'supervisor' ? team.supervisor : team.manager;
}

/**
 * Indexes of a chain's alarm steps that are due at `now` for a fault raised at `raisedAt` and not
 * acknowledged, and not yet sent. A clock that went back makes nothing due that was not. Pure.
 */
export function dueAlarmSteps(
  steps: readonly ChainStep[],
  raisedAt: number,
  now: number,
  sent: ReadonlySet<number>,
): number[] {
  const due: number[] = [];
  steps.forEach((step, index) => {
    if (step.trigger !== 'alarm' || sent.has(index)) return;
    if (now - raisedAt >= step.afterMinutes * 60_000) due.push(index);
  });
  return due;
}
