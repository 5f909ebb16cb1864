import { useState } from 'preact/hooks';
import { contracts } from '../../../core/api/index.ts';
import { useApp, useLoad } from '../context.ts';
import type { AlarmMarker } from '../lib/chart-marks.ts';
import {
  displayUnit,
  enumLabels,
  type ReadingInfo,
  readingName,
  readingText,
  shownElsewhere,
} from '../lib/reading-format.ts';
import type { StationView } from '../lib/types.ts';
import { type ChartRange, HistoryChart } from './history-chart.tsx';
import './station-readings.css';

interface StationReadingsProps {
  view: StationView;
  range: ChartRange;
  reload: number;
  timeZone: string;
  markers: readonly AlarmMarker[];
  onZoom: (from: number, to: number) => void;
}

/**
 * Every reading of the station the schematic and the charts do not show (a drive's temperature, DC
 * bus voltage, power factor, the controller's mode, vendor codes, custom readings), named and
 * formatted from the station's profile in the reader's language; a chosen one is charted below,
 * an enumeration as steps with its labels.
 */
export function StationReadings({ view, range, reload, timeZone, markers, onZoom }: StationReadingsProps) {
  const { api, t, locale } = useApp();
  const [charted, setCharted] = useState<string | undefined>(undefined);
  const profile = useLoad(
    () =>
      api
        .call(contracts.getProfileReadings, { params: { model: view.model } })
        // A station whose model has no profile on the server still lists its readings.
        .catch(() => undefined),
    [view.model],
  );
  const infos = new Map<string, ReadingInfo>((profile.data?.readings ?? []).map((r) => [r.meaning, r]));
  const meanings = Object.keys(view.values)
    .filter((meaning) => !shownElsewhere(meaning))
    .sort();
  if (meanings.length === 0) return null;
  const words = {
    notAvailable: t('readings.notAvailable'),
    on: t('readings.on'),
    off: t('readings.off'),
    noCode: t('readings.noCode'),
  };
  const chosen = charted && meanings.includes(charted) ? charted : undefined;
  const chosenInfo = chosen ? infos.get(chosen) : undefined;
  return (
    <section class="station-readings" aria-labelledby="station-readings-title">
      <h2 id="station-readings-title">{t('readings.title')}</h2>
      <dl class="readings-grid">
        {meanings.map((meaning) => {
          const held = view.values[meaning]!;
          const info = infos.get(meaning);
          const chartable = typeof held.v === 'number' || held.q === 'not_available';
          return (
            <div key={meaning} class="reading" data-meaning={meaning} data-quality={held.q}>
              <dt>{readingName(locale, meaning, info)}</dt>
              <dd class="num">
                {chartable ? (
                  <button
                    type="button"
                    class="link"
                    aria-pressed={chosen === meaning}
                    title={t('readings.chart')}
                    onClick={() => setCharted(chosen === meaning ? undefined : meaning)}
                  >
                    {readingText(locale, held, info, words)}
                  </button>
                ) : (
                  readingText(locale, held, info, words)
                )}
              </dd>
            </div>
          );
        })}
      </dl>
      {chosen ? (
        <HistoryChart
          key={chosen}
          name={`reading-${chosen.replace(/[^a-z0-9_]+/g, '-')}`}
          site={view.site}
          station={view.station}
          title={readingName(locale, chosen, chosenInfo)}
          series={[
            {
              meaning: chosen,
              label: readingName(locale, chosen, chosenInfo),
              unit: displayUnit(locale, view.values[chosen]?.unit ?? chosenInfo?.unit ?? ''),
              labels: enumLabels(locale, chosenInfo),
            },
          ]}
          range={range}
          reload={reload}
          timeZone={timeZone}
          thresholds={[]}
          markers={markers}
          onZoom={onZoom}
        />
      ) : null}
    </section>
  );
}
