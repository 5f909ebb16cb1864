import { renderOr } from '../../../core/i18n/render.ts';
import { useApp } from '../context.ts';
import { formatTime } from '../lib/format.ts';
import type { StationIndicators } from './station-health.tsx';

/**
 * What the pump-curve models see on the live stream: each event that moved the station off its pumps'
 * learned curve, explained (a leak, a closing valve, a worn impeller, a sensor to check), the one still
 * going first; or that the curve is still being learned, or that nothing needs explaining.
 */
export function CurveExplanations({
  curve,
  timeZone,
}: {
  /** The station's curve as its indicators were loaded (station-health.tsx); none while loading. */
  curve: StationIndicators['curve'] | undefined;
  timeZone: string;
}) {
  const { t, locale } = useApp();
  if (!curve) return null;
  const shown = [...curve.explanations]
    .sort((a, b) => Number(b.active) - Number(a.active) || b.end - a.end)
    .slice(0, 5);
  return (
    <section class="curve-explain" aria-labelledby="curve-explain-title">
      <h2 id="curve-explain-title">{t('health.curve.title')}</h2>
      {curve.status === 'learning' ? (
        <p class="muted">{t('health.curve.learning')}</p>
      ) : shown.length === 0 ? (
        <p class="muted">{t('health.curve.none')}</p>
      ) : (
        <ul>
          {shown.map((x) => (
            <li key={`${x.start}:${x.code}`} data-active={x.active ? 'yes' : 'no'} data-code={x.code}>
              <span class="curve-when small-text">
                {x.active
                  ? `${t('health.curve.active')} · ${t('health.curve.since', { at: formatTime(x.start, timeZone, locale) })}`
                  : t('health.curve.from', {
                      from: formatTime(x.start, timeZone, locale),
                      to: formatTime(x.end, timeZone, locale),
                    })}
              </span>
              <span>{renderOr(locale, x.code, x.params, x.code)}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
