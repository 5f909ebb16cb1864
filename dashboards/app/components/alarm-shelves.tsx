import { useState } from 'preact/hooks';
import { contracts } from '../../../core/api/index.ts';
import { useApp, useLive, useLoad, useNow } from '../context.ts';
import { faultTitle, subjectText } from '../i18n/fault-titles.ts';
import { formatTime, siteTimeZone } from '../lib/format.ts';
import { can } from '../lib/roles.ts';
import { SHELVABLE, stationChoices } from '../lib/shelving.ts';
import type { AssetStation, Shelf } from '../lib/types.ts';
import { type ShelfPrefill, ShelveForm } from './shelve-form.tsx';

/**
 * The alarms shelved now, with who shelved them, until when and why; operators and admins shelve
 * and unshelve here (GET, POST, DELETE /api/alarms/shelves). Everyone sees the list: a shelved
 * alarm is silent, so nobody should be surprised by the silence.
 */
export function AlarmShelves({ prefill }: { prefill: ShelfPrefill | undefined }) {
  const { t, api, locale, session } = useApp();
  const live = useLive();
  const now = useNow(5000);
  const mayShelve = can.shelveAlarms(session.role);
  const [round, setRound] = useState(0);
  const [error, setError] = useState<string | undefined>();
  const shelves = useLoad(() => api.call(contracts.listShelves), [live.alarmVersion, round]);
  const registered = useLoad(
    () =>
      mayShelve ? api.call(contracts.listAssetStations) : Promise.resolve({ stations: [] as AssetStation[] }),
    [mayShelve],
  );
  const inForce = (shelves.data?.shelves ?? []).filter((shelf) => shelf.until > now);
  const alarmTitle = (shelf: Shelf) => {
    const english = SHELVABLE.find((rule) => rule.faultClass === shelf.faultClass)?.title ?? shelf.faultClass;
    const title = faultTitle(locale, shelf.faultClass, english);
    return shelf.subject ? `${title} · ${subjectText(locale, shelf.subject)}` : title;
  };
  const unshelve = async (shelf: Shelf) => {
    setError(undefined);
    try {
      await api.call(contracts.unshelveAlarm, { params: { id: shelf.id } });
    } catch (failure) {
      setError((failure as Error).message);
    }
    setRound((n) => n + 1);
  };

  return (
    <section class="panel shelves" aria-labelledby="shelves-heading">
      <div class="shelves-list">
        <h2 id="shelves-heading">{t('shelf.heading')}</h2>
        {shelves.error ? (
          <p class="error" role="alert">
            {t('common.error', { error: shelves.error })}
          </p>
        ) : null}
        {error ? (
          <p class="error" role="alert">
            {t('common.error', { error })}
          </p>
        ) : null}
        {shelves.data && inForce.length === 0 ? <p class="muted">{t('shelf.none')}</p> : null}
        <ul class="shelf-list">
          {inForce.map((shelf) => {
            const title = alarmTitle(shelf);
            return (
              <li
                key={shelf.id}
                class="shelf"
                data-shelf={shelf.id}
                data-fault={shelf.faultClass}
                data-station={shelf.station}
              >
                <span class="shelf-what">
                  <strong>{shelf.station}</strong> · {title}
                </span>
                <span class="muted small-text num">
                  {t('shelf.byUntil', {
                    user: shelf.shelvedBy,
                    until: formatTime(shelf.until, siteTimeZone(shelf.site), locale),
                  })}
                </span>
                <span class="shelf-reason">{shelf.reason}</span>
                {mayShelve ? (
                  <button
                    type="button"
                    class="small"
                    aria-label={t('shelf.unshelveLabel', { alarm: title, station: shelf.station })}
                    onClick={() => void unshelve(shelf)}
                  >
                    {t('shelf.unshelve')}
                  </button>
                ) : null}
              </li>
            );
          })}
        </ul>
      </div>
      {mayShelve ? (
        <ShelveForm
          stations={stationChoices(registered.data?.stations ?? [], [...live.stations.values()])}
          prefill={prefill}
          onShelved={() => setRound((n) => n + 1)}
        />
      ) : null}
    </section>
  );
}
