import { eventAction } from './ticket-steps.ts';

export const SERVICE_STEPS = [
  'reported',
  'responded',
  'dispatched',
  'arrived',
  'quoteConfirmed',
  'workDone',
  'signed',
  'resolved',
  'closed',
  'survey',
] as const;
export type ServiceStep = (typeof SERVICE_STEPS)[number];

interface TimelineEvent {
  at: number;
  actor: string;
  action: string;
  to: string | null;
  data: unknown;
}

/**
 * A ticket's service history as the paper flow names it (reported, responded, dispatched, arrived,
 * fee confirmed, work done, signed, resolved, closed, survey): each step with the time and person
 * of its last occurrence since the last reopening, or null when it has not happened. Pure.
 */
export function serviceSteps(
  createdAt: number,
  timeline: readonly TimelineEvent[],
): { step: ServiceStep; at: number | null; actor: string | null }[] {
  const sorted = [...timeline].sort((a, b) => a.at - b.at);
  const reopened = sorted.map((event) => event.to).lastIndexOf('new');
  const since = sorted.slice(Math.max(0, reopened));
  const last = (match: (event: TimelineEvent) => boolean) => since.filter(match).at(-1);
  const found: Record<ServiceStep, TimelineEvent | undefined> = {
    reported: undefined,
    responded: last((event) => event.to === 'triaged'),
    dispatched: last((event) => event.to === 'dispatched'),
    arrived: last((event) => event.to === 'on_site'),
    quoteConfirmed: last((event) => event.action === 'quote_confirmed'),
    workDone: last((event) => event.action === 'service_record' || eventAction(event) === 'resolve'),
    signed: last((event) => event.to === 'signed_off'),
    resolved: last((event) => event.to === 'resolved'),
    closed: last((event) => event.to === 'closed'),
    survey: last((event) => event.action === 'survey'),
  };
  return SERVICE_STEPS.map((step) => {
    if (step === 'reported') return { step, at: createdAt, actor: null };
    const event = found[step];
    return { step, at: event?.at ?? null, actor: event ? event.actor : null };
  });
}
