import { useEffect, useRef, useState } from 'preact/hooks';
import type { FaultClass } from '../../../core/alarms/catalogue.ts';
import { contracts } from '../../../core/api/index.ts';
import { useApp, useLive } from '../context.ts';
import { faultTitle, subjectText } from '../i18n/fault-titles.ts';
import { parseZonedInput, siteTimeZone, zonedInputValue } from '../lib/format.ts';
import { SHELVABLE, type StationChoice, scopeOf, shelfMinutes, subjectChoices } from '../lib/shelving.ts';
import type { Shelf } from '../lib/types.ts';
import { SelectField } from './select-field.tsx';

/** An alarm to shelve, chosen from the alarm table; `nonce` changes on every choice. */
export interface ShelfPrefill {
  site: string;
  station: string;
  faultClass: string;
  subject: string;
  nonce: number;
}

const HOURS = [1, 8, 24] as const;
type Duration = (typeof HOURS)[number] | 'until';

interface ShelveFormProps {
  stations: StationChoice[];
  prefill: ShelfPrefill | undefined;
  onShelved: (shelf: Shelf) => void;
}

/**
 * Shelves one alarm (station, fault class, subject) for 1, 8 or 24 hours or until a moment, with a
 * reason (POST /api/alarms/shelves). While shelved the alarm raises nothing and opens no ticket.
 */
export function ShelveForm({ stations, prefill, onShelved }: ShelveFormProps) {
  const { t, api, locale } = useApp();
  const live = useLive();
  const [stationKey, setStationKey] = useState('');
  const [faultClass, setFaultClass] = useState<string>(SHELVABLE[0]?.faultClass ?? '');
  const [subject, setSubject] = useState<string | undefined>();
  const [duration, setDuration] = useState<Duration>(8);
  /** On the site's wall clock, as every time on the dashboards is shown. */
  const [until, setUntil] = useState<string | undefined>();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const reasonRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (!prefill) return;
    setStationKey(`${prefill.site}/${prefill.station}`);
    setFaultClass(prefill.faultClass);
    setSubject(prefill.subject);
    setError(undefined);
    reasonRef.current?.focus();
    reasonRef.current?.scrollIntoView({ block: 'center' });
  }, [prefill?.nonce]);

  const keyOf = (choice: StationChoice) => `${choice.site}/${choice.station}`;
  const station = stations.find((s) => keyOf(s) === stationKey) ?? stations[0];
  const meanings = Object.keys(live.stations.get(station?.station ?? '')?.values ?? {});
  const choices = subjectChoices(scopeOf(faultClass), station?.pumps ?? [], meanings);
  const chosenSubject = subject !== undefined && choices.includes(subject) ? subject : choices[0];
  const zone = siteTimeZone(station?.site);
  const untilText = until ?? zonedInputValue(Date.now() + 8 * 3_600_000, zone);
  const subjectLabel = (value: string) =>
    value === '' ? t('shelf.wholeStation') : subjectText(locale, value);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (!station || chosenSubject === undefined) return;
    const expiry = duration === 'until' ? { until: parseZonedInput(untilText, zone) } : { hours: duration };
    const minutes = shelfMinutes(expiry, Date.now());
    if ('error' in minutes) {
      setError(t(`shelf.${minutes.error}`));
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      const answer = await api.call(contracts.shelveAlarm, {
        body: {
          site: station.site,
          station: station.station,
          // The select offers only the catalogue's classes; the server checks again.
          faultClass: faultClass as FaultClass,
          subject: chosenSubject,
          minutes: minutes.minutes,
          reason: reason.trim(),
        },
      });
      setReason('');
      onShelved(answer.shelf);
    } catch (failure) {
      setError((failure as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="shelve-form" onSubmit={submit} aria-labelledby="shelve-heading">
      <h3 id="shelve-heading">{t('shelf.formHeading')}</h3>
      <div class="form-grid">
        <SelectField
          id="shelf-station"
          required
          label={t('shelf.station')}
          value={station ? keyOf(station) : ''}
          choices={stations.map((s) => ({ value: keyOf(s), label: s.station }))}
          onChange={setStationKey}
        />
        <SelectField
          id="shelf-alarm"
          wide
          label={t('shelf.alarm')}
          value={faultClass}
          choices={SHELVABLE.map((rule) => ({
            value: rule.faultClass,
            label: faultTitle(locale, rule.faultClass, rule.title),
          }))}
          onChange={setFaultClass}
        />
        <SelectField
          id="shelf-subject"
          label={t('shelf.subject')}
          disabled={choices.length === 0}
          value={chosenSubject ?? ''}
          choices={
            choices.length === 0
              ? [{ value: '', label: t('shelf.noSubject') }]
              : choices.map((value) => ({ value, label: subjectLabel(value) }))
          }
          onChange={setSubject}
        />
        <fieldset class="field full choices">
          <legend>{t('shelf.duration')}</legend>
          {HOURS.map((hours) => (
            <label key={hours} class="choice">
              <input
                type="radio"
                name="shelf-duration"
                value={String(hours)}
                checked={duration === hours}
                onChange={() => setDuration(hours)}
              />
              {t('shelf.hours', { n: hours })}
            </label>
          ))}
          <label class="choice">
            <input
              type="radio"
              name="shelf-duration"
              value="until"
              checked={duration === 'until'}
              onChange={() => setDuration('until')}
            />
            {t('shelf.untilChoice')}
          </label>
        </fieldset>
        {duration === 'until' ? (
          <span class="field wide">
            <label for="shelf-until">{t('shelf.until')}</label>
            <input
              id="shelf-until"
              type="datetime-local"
              required
              min={zonedInputValue(Date.now(), zone)}
              value={untilText}
              onInput={(e) => setUntil(e.currentTarget.value)}
            />
          </span>
        ) : null}
        <span class="field full">
          <label for="shelf-reason">{t('shelf.reason')}</label>
          <input
            id="shelf-reason"
            ref={reasonRef}
            required
            maxLength={500}
            value={reason}
            onInput={(e) => setReason(e.currentTarget.value)}
          />
        </span>
      </div>
      {error ? (
        <p class="error" role="alert">
          {t('shelf.failed', { error })}
        </p>
      ) : null}
      <button type="submit" disabled={busy || !station || chosenSubject === undefined}>
        {t('shelf.submit')}
      </button>
    </form>
  );
}
