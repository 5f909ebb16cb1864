import { contracts } from '../../../core/api/index.ts';
import { useApp, useLoad } from '../context.ts';
import { siteTimeZone } from '../lib/format.ts';

/**
 * Data completeness of one station over the last 7 days: readings stored against readings the
 * poll plan expects, per day of the site's time zone, so a gap in the data can never hide behind a
 * smooth chart.
 */
export function CompletenessStrip({ site, station }: { site: string; station: string }) {
  const { t, api } = useApp();
  const answer = useLoad(
    () =>
      api.call(contracts.stationCompleteness, {
        params: { id: station },
        query: { days: 7, site, tz: siteTimeZone(site) },
      }),
    [site, station],
  );
  const data = answer.data;
  return (
    <section class="completeness" aria-labelledby="completeness-title">
      <h2 id="completeness-title">{t('completeness.title')}</h2>
      {data ? (
        <ol>
          {data.days.map((day) => (
            <li
              key={day.day}
              data-level={
                day.ratio === null ? 'none' : day.ratio >= 0.99 ? 'full' : day.ratio >= 0.9 ? 'gaps' : 'poor'
              }
              title={t('completeness.cell', { stored: day.stored, expected: day.expected })}
            >
              <span class="day">{day.day.slice(5)}</span>
              <span class="num">{day.ratio === null ? '—' : `${(day.ratio * 100).toFixed(1)}%`}</span>
            </li>
          ))}
        </ol>
      ) : (
        <p class="muted">{answer.error ?? t('completeness.loading')}</p>
      )}
    </section>
  );
}
