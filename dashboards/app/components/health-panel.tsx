import { useState } from 'preact/hooks';
import { renderOr } from '../../../core/i18n/render.ts';
import { useApp } from '../context.ts';
import type { Translate } from '../i18n/translate.ts';
import { formatNumber, formatTime } from '../lib/format.ts';
import { healthBand, type IndicatorView, type Prediction } from '../lib/health.ts';
import { IndicatorTrend } from './indicator-trend.tsx';
import type { StationIndicators } from './station-health.tsx';

/** One line on what the trend says: a crossing in N days (band), stable, or too little data. */
export function predictionText(t: Translate, prediction: Prediction | null, learning: boolean): string {
  if (learning) return t('health.learning');
  if (!prediction) return t('health.notPredicted');
  switch (prediction.status) {
    case 'too_little_data':
      return t('health.tooLittle', { points: prediction.points });
    case 'stable':
      return t('health.stable');
    case 'crossed':
      return t('health.crossed');
    case 'degrading': {
      if (prediction.daysToThreshold === null) return t('health.degrading');
      const band = prediction.bandDays;
      return t('health.crossIn', {
        days: formatNumber(prediction.daysToThreshold, 1),
        low: band ? formatNumber(band.low, 1) : '?',
        high: band?.high == null ? '∞' : formatNumber(band.high, 1),
      });
    }
  }
}

function indicatorName(t: Translate, view: Pick<IndicatorView, 'indicator' | 'label'>): string {
  const key = `indicator.${view.indicator}` as Parameters<Translate>[0];
  const text = t(key);
  return text === key ? view.label : text;
}

/**
 * The station's health: its score and each pump's with the indicator that drives it, every
 * indicator with its zone, baseline and predicted crossing, and the chosen indicator's trend.
 */
export function HealthPanel({
  site,
  station,
  indicators: answer,
  timeZone,
}: {
  site: string;
  station: string;
  /** The station's indicators as loaded (station-health.tsx). */
  indicators: { data: StationIndicators | undefined; error: string | undefined };
  timeZone: string;
}) {
  const { t, locale } = useApp();
  const [chosen, setChosen] = useState<string | undefined>(undefined);
  const data = answer.data;
  if (!data) {
    return (
      <section class="health" aria-labelledby="health-title">
        <h2 id="health-title">{t('health.title')}</h2>
        <p class="muted">{answer.error ? t('health.none') : t('health.loading')}</p>
      </section>
    );
  }
  const shown =
    data.indicators.find((i) => i.key === chosen) ??
    data.indicators.find(
      (i) =>
        data.health.driver &&
        i.indicator === data.health.driver.indicator &&
        i.pump === data.health.driver.pump,
    ) ??
    data.indicators.find((i) => i.prediction !== null);
  const driver = data.health.driver;
  return (
    <section class="health" aria-labelledby="health-title">
      <header class="health-head">
        <h2 id="health-title">{t('health.title')}</h2>
        <span
          class="health-score"
          data-band={healthBand(data.health.score)}
          role="img"
          aria-label={t('health.scoreLabel', { score: data.health.score })}
        >
          <span class="num">{data.health.score}</span>
          <span class="small-text">/100</span>
        </span>
        <span class="muted">
          {driver
            ? t('health.driver', {
                indicator: indicatorName(t, { indicator: driver.indicator, label: driver.indicator }),
                where: driver.pump === null ? t('health.station') : t('pump.label', { n: driver.pump }),
                reason: renderOr(locale, driver.reasonCode, driver.reasonParams, driver.reason),
              })
            : t('health.allHealthy')}
        </span>
        {data.at ? (
          <span class="muted small-text">
            {t('health.asOf', { at: formatTime(data.at, timeZone, locale) })}
          </span>
        ) : null}
      </header>
      <ul class="pump-scores">
        {data.health.pumps.map((p) => (
          <li key={p.pump} data-band={healthBand(p.score)}>
            <span>{t('pump.label', { n: p.pump })}</span>
            <span class="num">{p.score}</span>
            <span class="muted small-text">
              {p.driver
                ? indicatorName(t, { indicator: p.driver.indicator, label: p.driver.indicator })
                : t('health.ok')}
            </span>
          </li>
        ))}
      </ul>
      <div class="table-wrap">
        <table class="indicators">
          <thead>
            <tr>
              <th scope="col">{t('health.indicator')}</th>
              <th scope="col">{t('health.where')}</th>
              <th scope="col">{t('health.value')}</th>
              <th scope="col">{t('health.baseline')}</th>
              <th scope="col">{t('health.trend')}</th>
            </tr>
          </thead>
          <tbody>
            {data.indicators.map((view) => (
              <tr
                key={view.key}
                data-status={view.prediction?.status ?? (view.learning ? 'learning' : 'shown')}
                data-anomalous={view.anomalous ? 'true' : undefined}
                aria-selected={shown?.key === view.key}
              >
                <td>
                  <button
                    type="button"
                    class="link-button"
                    aria-pressed={shown?.key === view.key}
                    onClick={() => setChosen(view.key)}
                  >
                    {indicatorName(t, view)}
                  </button>
                  {view.anomalous ? <span class="tag-anomaly">{t('health.anomaly')}</span> : null}
                </td>
                <td>{view.pump === null ? t('health.station') : t('pump.label', { n: view.pump })}</td>
                <td class="num nowrap">
                  {view.value === null ? '—' : `${formatNumber(view.value, 2)} ${view.unit}`}
                  {view.zone ? (
                    <span class="zone" data-zone={view.zone}>
                      {t('health.zone', { zone: view.zone })}
                    </span>
                  ) : null}
                </td>
                <td class="num nowrap">{view.baseline === null ? '—' : formatNumber(view.baseline, 2)}</td>
                <td>{predictionText(t, view.prediction, view.learning)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {shown ? (
        <IndicatorTrend
          site={site}
          station={station}
          view={shown}
          title={`${indicatorName(t, shown)} · ${shown.pump === null ? t('health.station') : t('pump.label', { n: shown.pump })}`}
          timeZone={timeZone}
        />
      ) : null}
    </section>
  );
}
