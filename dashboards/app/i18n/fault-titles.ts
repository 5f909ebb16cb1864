import { isMessageCode, renderOr, subjectName } from '../../../core/i18n/render.ts';
import type { Locale } from '../lib/format.ts';

/** An alarm's or ticket's fault class in the reader's language (core/i18n); else the server's title. */
export function faultTitle(locale: Locale, faultClass: string | null, serverTitle: string): string {
  const code = `fault.${faultClass}`;
  return faultClass && isMessageCode(code) ? renderOr(locale, code, {}, serverTitle) : serverTitle;
}

/** An alarm's title: a vendor code's text in the reader's language when the server coded it, else its fault class. */
export function alarmTitle(
  locale: Locale,
  alarm: { title: string; titleCode?: string | null; titleParams?: unknown; faultClass: string },
): string {
  return renderOr(
    locale,
    alarm.titleCode,
    alarm.titleParams,
    faultTitle(locale, alarm.faultClass, alarm.title),
  );
}

/** A ticket's title: its code rendered when the server wrote it, else the fault's name, else as typed. */
export function ticketTitle(
  locale: Locale,
  ticket: { title: string; titleCode?: string | null; titleParams?: unknown; faultClass: string | null },
): string {
  return renderOr(
    locale,
    ticket.titleCode,
    ticket.titleParams,
    faultTitle(locale, ticket.faultClass, ticket.title),
  );
}

/** "pump[2]" as "pump 2" / "2号泵", a tag meaning by its name; '' stays ''. */
export function subjectText(locale: Locale, subject: string): string {
  return subjectName(locale, subject);
}
