import { useEffect, useState } from 'preact/hooks';
import { contracts } from '../../../../core/api/index.ts';
import { useApp, useLoad } from '../../context.ts';

type Day = { day: string; kind: 'holiday' | 'workday'; name: string };

/** One line per day: `2027-01-01 holiday 元旦`. */
const linesOf = (days: Day[]) => days.map((d) => `${d.day} ${d.kind} ${d.name}`.trim()).join('\n');

function parseLines(text: string): Day[] | { line: number } {
  const days: Day[] = [];
  const lines = text.split('\n');
  for (const [i, raw] of lines.entries()) {
    const line = raw.trim();
    if (!line) continue;
    const match = /^(\d{4}-\d{2}-\d{2})\s+(holiday|workday)\s*(.*)$/.exec(line);
    if (!match) return { line: i + 1 };
    days.push({ day: match[1]!, kind: match[2] as Day['kind'], name: match[3] ?? '' });
  }
  return days;
}

/** The business calendar: a year's public holidays and swapped working days, as the notice lists them. */
export function CalendarSection() {
  const { t, api } = useApp();
  const [year, setYear] = useState(new Date().getFullYear() + 1);
  const [text, setText] = useState('');
  const [message, setMessage] = useState<{ error: boolean; text: string } | null>(null);
  const loaded = useLoad(() => api.call(contracts.getCalendarYear, { params: { year } }), [year]);
  useEffect(() => {
    if (loaded.data) setText(linesOf(loaded.data.days));
  }, [loaded.data]);
  const save = async (event: Event) => {
    event.preventDefault();
    const days = parseLines(text);
    if (!Array.isArray(days)) {
      setMessage({ error: true, text: t('slaCal.badLine', { n: days.line }) });
      return;
    }
    try {
      const answer = await api.call(contracts.putCalendarYear, { params: { year }, body: { days } });
      setText(linesOf(answer.days));
      setMessage({ error: false, text: t('slaCal.saved', { n: answer.days.length, year }) });
    } catch (failure) {
      setMessage({ error: true, text: (failure as Error).message });
    }
  };
  return (
    <form class="calendar-admin" onSubmit={save}>
      <p class="muted">{t('slaCal.help')}</p>
      <label for="sla-cal-year">{t('slaCal.year')}</label>
      <input
        id="sla-cal-year"
        type="number"
        min={2000}
        max={2100}
        value={year}
        onInput={(e) => {
          const chosen = Number(e.currentTarget.value);
          if (Number.isInteger(chosen) && chosen >= 2000 && chosen <= 2100) setYear(chosen);
        }}
      />
      <label for="sla-cal-days">{t('slaCal.days')}</label>
      <textarea
        id="sla-cal-days"
        rows={16}
        class="num"
        value={text}
        onInput={(e) => setText(e.currentTarget.value)}
      />
      {loaded.error ? <p class="error">{t('common.error', { error: loaded.error })}</p> : null}
      {message ? (
        <p class={message.error ? 'error' : 'muted'} role={message.error ? 'alert' : 'status'}>
          {message.text}
        </p>
      ) : null}
      <button type="submit">{t('slaCal.save')}</button>
    </form>
  );
}
