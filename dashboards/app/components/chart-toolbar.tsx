import { useEffect, useState } from 'preact/hooks';
import { useApp } from '../context.ts';
import {
  type ChartView,
  RANGE_PRESETS,
  REFRESH_CHOICES,
  type RefreshKey,
  viewSpan,
  zoneLabel,
} from '../lib/chart-view.ts';
import { parseZonedInput, zonedInputValue } from '../lib/format.ts';

interface ChartToolbarProps {
  view: ChartView;
  /** Where `view.range` ends for a relative range. */
  now: number;
  timeZone: string;
  /** A part of the view changed: the range or the refresh. */
  onChange: (change: Partial<ChartView>) => void;
}

/**
 * The charts' time controls: ranges ending now, a fixed from/to on the site's wall clock, the refresh
 * interval, and the zone every time on the charts is in.
 */
export function ChartToolbar({ view, now, timeZone, onChange }: ChartToolbarProps) {
  const { t, locale } = useApp();
  const span = viewSpan(view, now);
  const [from, setFrom] = useState(() => zonedInputValue(span.from, timeZone));
  const [to, setTo] = useState(() => zonedInputValue(span.to, timeZone));
  const [error, setError] = useState(false);
  const spanKey = view.range.kind === 'absolute' ? `${view.range.from}-${view.range.to}` : view.range.key;
  // The fields follow the chosen range (a preset, a zoom, back and forward), not every tick of `now`.
  useEffect(() => {
    setFrom(zonedInputValue(span.from, timeZone));
    setTo(zonedInputValue(span.to, timeZone));
    setError(false);
  }, [spanKey, timeZone]);

  const apply = (event: Event) => {
    event.preventDefault();
    const start = parseZonedInput(from, timeZone);
    const end = parseZonedInput(to, timeZone);
    if (!Number.isFinite(start) || !Number.isFinite(end) || start >= end) {
      setError(true);
      return;
    }
    onChange({ range: { kind: 'absolute', from: start, to: end } });
  };

  return (
    <form class="range-bar" aria-label={t('chart.range')} onSubmit={apply}>
      <fieldset class="range-presets">
        <legend class="visually-hidden">{t('chart.relative')}</legend>
        {RANGE_PRESETS.map((p) => (
          <button
            key={p.key}
            type="button"
            class="chip"
            aria-pressed={view.range.kind === 'relative' && view.range.key === p.key}
            onClick={() => onChange({ range: { kind: 'relative', key: p.key } })}
          >
            {p.key}
          </button>
        ))}
      </fieldset>
      <div class="range-absolute">
        <span class="field">
          <label for="chart-from">{t('chart.from')}</label>
          <input
            id="chart-from"
            type="datetime-local"
            value={from}
            aria-invalid={error}
            onInput={(e) => setFrom(e.currentTarget.value)}
          />
        </span>
        <span class="field">
          <label for="chart-to">{t('chart.to')}</label>
          <input
            id="chart-to"
            type="datetime-local"
            value={to}
            aria-invalid={error}
            onInput={(e) => setTo(e.currentTarget.value)}
          />
        </span>
        <button type="submit" class="small">
          {t('chart.apply')}
        </button>
      </div>
      <span class="field">
        <label for="chart-refresh">{t('chart.refresh')}</label>
        <select
          id="chart-refresh"
          value={view.refresh}
          onChange={(e) => onChange({ refresh: e.currentTarget.value as RefreshKey })}
        >
          {REFRESH_CHOICES.map((r) => (
            <option key={r.key} value={r.key}>
              {t(`chart.refresh.${r.key}`)}
            </option>
          ))}
        </select>
      </span>
      <span class="zone-label muted" title={t('chart.zoneHint')}>
        {t('chart.zone', { zone: zoneLabel(timeZone, now, locale) })}
      </span>
      {error ? (
        <p class="error" role="alert">
          {t('chart.rangeInvalid')}
        </p>
      ) : null}
    </form>
  );
}
