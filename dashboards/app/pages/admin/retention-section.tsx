import { useState } from 'preact/hooks';
import type { z } from 'zod';
import { contracts } from '../../../../core/api/index.ts';
import type { retentionOutcomeSchema } from '../../../../core/api/retention.ts';
import { RECORD_CLASSES, RETENTION_PERIODS } from '../../../../core/retention/periods.ts';
import { Select } from '../../components/select-field.tsx';
import { useApp, useLoad } from '../../context.ts';
import { formatTime } from '../../lib/format.ts';
import { dayOf } from '../../lib/report-range.ts';
import '../reports/reports.css';

type Outcome = z.infer<typeof retentionOutcomeSchema>;
const TIME_ZONE = 'Asia/Shanghai';

/** Record classes and their periods, legal holds, a dry run and the log of what the yearly job removed. */
export function RetentionSection() {
  const { t, api, locale } = useApp();
  const classes = useLoad(() => api.call(contracts.listRetentionClasses), []);
  const holds = useLoad(() => api.call(contracts.listLegalHolds), []);
  const runs = useLoad(() => api.call(contracts.listRetentionRuns), []);
  const [failure, setFailure] = useState<string | undefined>();
  const [saved, setSaved] = useState(false);
  const [dry, setDry] = useState<Outcome | undefined>();
  const [hold, setHold] = useState({ class: 'tickets', recordId: '', reason: '' });
  const act = (work: Promise<unknown>, after: () => void) => {
    setFailure(undefined);
    setSaved(false);
    work.then(after).catch((error: Error) => setFailure(error.message));
  };
  const periodChoices = RETENTION_PERIODS.map((p) => ({ value: p, label: t(`retention.period.${p}`) }));
  const classChoices = RECORD_CLASSES.map((c) => ({ value: c, label: t(`retention.class.${c}`) }));
  return (
    <div class="retention-section">
      {failure ? <p class="error">{t('common.error', { error: failure })}</p> : null}
      {saved ? <p class="ok">{t('retention.saved')}</p> : null}
      <h3>{t('retention.classes')}</h3>
      <div class="table-wrap">
        <table data-table="retention-classes">
          <thead>
            <tr>
              <th>{t('retention.class')}</th>
              <th>{t('retention.period')}</th>
              <th>{t('retention.changed')}</th>
            </tr>
          </thead>
          <tbody>
            {(classes.data?.classes ?? []).map((entry) => (
              <tr key={entry.class}>
                <td>{t(`retention.class.${entry.class}`)}</td>
                <td>
                  <Select
                    id={`retention-period-${entry.class}`}
                    value={entry.period}
                    choices={periodChoices}
                    onChange={(period) =>
                      act(
                        api.call(contracts.putRetentionClass, {
                          params: { class: entry.class },
                          body: { period: period as (typeof RETENTION_PERIODS)[number] },
                        }),
                        () => {
                          setSaved(true);
                          classes.reload();
                        },
                      )
                    }
                  />
                </td>
                <td class="muted">
                  {entry.updatedAt
                    ? `${formatTime(entry.updatedAt, TIME_ZONE, locale)} · ${entry.updatedBy}`
                    : '–'}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <h3>{t('retention.holds')}</h3>
      {holds.data && holds.data.holds.length === 0 ? <p class="muted">{t('retention.holdsEmpty')}</p> : null}
      {holds.data?.holds.length ? (
        <div class="table-wrap">
          <table data-table="legal-holds">
            <thead>
              <tr>
                <th>{t('retention.class')}</th>
                <th>{t('retention.recordId')}</th>
                <th>{t('retention.reason')}</th>
                <th>{t('retention.heldBy')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {holds.data.holds.map((entry) => (
                <tr key={entry.id}>
                  <td>{t(`retention.class.${entry.class}`)}</td>
                  <td>{entry.recordId}</td>
                  <td>{entry.reason}</td>
                  <td>{entry.heldBy}</td>
                  <td>
                    <button
                      type="button"
                      class="ghost"
                      onClick={() =>
                        act(api.call(contracts.clearLegalHold, { params: { id: entry.id } }), holds.reload)
                      }
                    >
                      {t('retention.lift')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <form
        onSubmit={(event) => {
          event.preventDefault();
          act(
            api.call(contracts.putLegalHold, {
              body: { ...hold, class: hold.class as (typeof RECORD_CLASSES)[number] },
            }),
            () => {
              setHold({ ...hold, recordId: '', reason: '' });
              holds.reload();
            },
          );
        }}
      >
        <div class="report-field">
          <label for="hold-class">{t('retention.class')}</label>
          <Select
            id="hold-class"
            value={hold.class}
            choices={classChoices}
            onChange={(c) => setHold({ ...hold, class: c })}
          />
        </div>
        <label>
          {t('retention.recordId')}
          <input
            id="hold-record"
            required
            maxLength={64}
            value={hold.recordId}
            onInput={(e) => setHold({ ...hold, recordId: e.currentTarget.value.trim() })}
          />
        </label>
        <label>
          {t('retention.reason')}
          <input
            id="hold-reason"
            maxLength={500}
            value={hold.reason}
            onInput={(e) => setHold({ ...hold, reason: e.currentTarget.value })}
          />
        </label>
        <button type="submit">{t('retention.hold')}</button>
      </form>

      <h3>{t('retention.dryRun')}</h3>
      <p class="muted">{t('retention.dryRunHint')}</p>
      <button
        type="button"
        id="retention-dry-run"
        onClick={() =>
          act(api.call(contracts.runRetentionNow, { body: { dryRun: true } }).then(setDry), () => {})
        }
      >
        {t('retention.dryRun')}
      </button>
      {dry ? <OutcomeList outcome={dry} dryRun /> : null}

      <h3>{t('retention.runs')}</h3>
      {runs.data && runs.data.runs.length === 0 ? <p class="muted">{t('retention.runsEmpty')}</p> : null}
      {(runs.data?.runs ?? []).map((run) => (
        <div key={run.id} class="retention-run">
          <strong>
            {t('retention.runAt', { when: formatTime(run.outcome.at, TIME_ZONE, locale), who: run.actor })}
          </strong>
          <OutcomeList outcome={run.outcome} dryRun={false} />
        </div>
      ))}
    </div>
  );
}

function OutcomeList({ outcome, dryRun }: { outcome: Outcome; dryRun: boolean }) {
  const { t } = useApp();
  const touched = outcome.classes.filter((entry) => entry.ids.length || entry.held.length);
  if (touched.length === 0) return <p class="muted">{t('retention.dryRunEmpty')}</p>;
  return (
    <ul class="retention-outcome" data-outcome={dryRun ? 'dry' : 'run'}>
      {touched.map((entry) => {
        const action = t(`retention.action.${entry.action}`);
        return (
          <li key={entry.class}>
            {t(`retention.class.${entry.class}`)}:{' '}
            {t(dryRun ? 'retention.wouldGo' : 'retention.removed', { n: entry.ids.length, action })}
            {entry.ids.length ? ` (${entry.ids.join(', ')})` : ''}
            {entry.cutoff !== null
              ? ` · ${t('retention.cutoff', { date: dayOf(entry.cutoff, TIME_ZONE) })}`
              : ''}
            {entry.held.length ? ` · ${t('retention.held', { ids: entry.held.join(', ') })}` : ''}
          </li>
        );
      })}
    </ul>
  );
}
