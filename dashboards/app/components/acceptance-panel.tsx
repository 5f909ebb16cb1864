import { useState } from 'preact/hooks';
import { dielectricRequirement } from '../../../core/acceptance/acceptance-rules.ts';
import type { AcceptanceView } from '../../../core/api/acceptance.ts';
import { contracts } from '../../../core/api/index.ts';
import { useApp, useLoad } from '../context.ts';
import { can } from '../lib/roles.ts';
import { CheckField, Field, InputField, numberOf, useFormErrors } from './form-kit.tsx';

/**
 * A station's acceptance (验收): the record with its dielectric test and earth check, the warranty
 * and visits it started, and for service and admin a form to record a test.
 */
export function AcceptancePanel({
  site,
  station,
  nominalVoltage,
}: {
  site: string;
  station: string;
  /** The site's nominal voltage, the form's first guess. */
  nominalVoltage: number | undefined;
}) {
  const { t, api, session } = useApp();
  const answer = useLoad(
    () => api.call(contracts.getAcceptance, { params: { site, station } }),
    [site, station],
  );
  const [editing, setEditing] = useState(false);
  const [saved, setSaved] = useState(false);
  const view = answer.data;
  const mayRecord = can.recordAcceptance(session.role);
  return (
    <section class="acceptance" aria-labelledby="acceptance-title">
      <h2 id="acceptance-title">{t('acceptance.title')}</h2>
      {answer.error ? <p class="error">{answer.error}</p> : null}
      {view ? <AcceptanceSummary view={view} /> : null}
      {saved && !editing ? <p class="ok">{t('acceptance.saved')}</p> : null}
      {view && mayRecord && !editing ? (
        <button type="button" class="small" onClick={() => setEditing(true)}>
          {view.record ? t('acceptance.edit') : t('acceptance.record')}
        </button>
      ) : null}
      {view && editing ? (
        <AcceptanceForm
          site={site}
          station={station}
          nominalVoltage={view.record?.nominalVoltage ?? nominalVoltage ?? 380}
          onCancel={() => setEditing(false)}
          onSaved={() => {
            setEditing(false);
            setSaved(true);
            answer.reload();
          }}
        />
      ) : null}
    </section>
  );
}

function AcceptanceSummary({ view }: { view: AcceptanceView }) {
  const { t } = useApp();
  const record = view.record;
  if (!record) return <p class="muted acceptance-state">{t('acceptance.none')}</p>;
  const result = (passed: boolean) => t(passed ? 'acceptance.pass' : 'acceptance.fail');
  return (
    <>
      <p class="acceptance-state" data-passed={String(record.passed)}>
        <strong class={record.passed ? 'ok' : 'error'}>
          {t(record.passed ? 'acceptance.passed' : 'acceptance.failed')}
        </strong>
      </p>
      <dl class="facts">
        <dt>{t('acceptance.on')}</dt>
        <dd class="num">{record.acceptedOn}</dd>
        <dt>{t('acceptance.by')}</dt>
        <dd>{record.acceptedBy}</dd>
        <dt>{t('acceptance.recordedBy')}</dt>
        <dd>{record.recordedBy}</dd>
        <dt>{t('acceptance.nominal')}</dt>
        <dd class="num">{record.nominalVoltage}</dd>
        <dt>{t('acceptance.dielectric')}</dt>
        <dd class="num">
          {t('acceptance.dielectricOf', {
            voltage: record.dielectric.testVoltage,
            seconds: record.dielectric.seconds,
            result: result(record.dielectric.passed),
          })}
        </dd>
        <dt>{t('acceptance.earth')}</dt>
        <dd class="num">
          {t('acceptance.earthOf', {
            resistance:
              record.earth.resistanceOhms === null
                ? t('acceptance.notMeasured')
                : `${record.earth.resistanceOhms} Ω`,
            result: result(record.earth.passed),
          })}
        </dd>
        {record.notes ? (
          <>
            <dt>{t('acceptance.notes')}</dt>
            <dd>{record.notes}</dd>
          </>
        ) : null}
        {view.acceptanceDate ? (
          <>
            <dt>{t('acceptance.warranty')}</dt>
            <dd class="num">{view.warrantyEnd ?? t('acceptance.warrantyUnknown')}</dd>
          </>
        ) : null}
      </dl>
      {view.acceptanceDate ? (
        <ul class="acceptance-warranty small-text">
          {view.pumps.map((p) =>
            p.warrantyEnd ? (
              <li key={p.pump}>{t('acceptance.pumpWarranty', { n: p.pump, day: p.warrantyEnd })}</li>
            ) : null,
          )}
          {view.parts.map((p) => (
            <li key={p.part}>{t('acceptance.partUntil', { part: p.part, day: p.ends })}</li>
          ))}
          {view.softwareLifetime ? <li>{t('acceptance.software')}</li> : null}
        </ul>
      ) : null}
      {view.followUps.length > 0 ? (
        <p class="small-text acceptance-visits">
          {t('acceptance.visits')}: <span class="num">{view.followUps.map((v) => v.due).join(' · ')}</span>
        </p>
      ) : null}
    </>
  );
}

const FIELDS = [
  'acceptedOn',
  'acceptedBy',
  'nominalVoltage',
  'dielectric.testVoltage',
  'dielectric.seconds',
  'earth.resistanceOhms',
  'notes',
] as const;

function AcceptanceForm({
  site,
  station,
  nominalVoltage,
  onSaved,
  onCancel,
}: {
  site: string;
  station: string;
  nominalVoltage: number;
  onSaved: () => void;
  onCancel: () => void;
}) {
  const { t, api } = useApp();
  const today = new Date().toISOString().slice(0, 10);
  const first = dielectricRequirement(nominalVoltage);
  const [acceptedOn, setAcceptedOn] = useState(today);
  const [acceptedBy, setAcceptedBy] = useState('');
  const [nominal, setNominal] = useState(String(nominalVoltage));
  const [testVoltage, setTestVoltage] = useState(String(first?.testVoltage ?? ''));
  const [seconds, setSeconds] = useState(String(first?.seconds ?? 60));
  const [dielectricPassed, setDielectricPassed] = useState(true);
  const [resistance, setResistance] = useState('');
  const [earthPassed, setEarthPassed] = useState(true);
  const [notes, setNotes] = useState('');
  const [busy, setBusy] = useState(false);
  const { errors, fail, clear } = useFormErrors(FIELDS);
  const need = dielectricRequirement(Number(nominal));

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    clear();
    try {
      await api.call(contracts.putAcceptance, {
        params: { site, station },
        body: {
          acceptedOn,
          acceptedBy,
          nominalVoltage: numberOf(nominal) as number,
          dielectric: {
            testVoltage: numberOf(testVoltage) as number,
            seconds: numberOf(seconds) as number,
            passed: dielectricPassed,
          },
          earth: { resistanceOhms: numberOf(resistance) ?? null, passed: earthPassed },
          notes,
        },
      });
      onSaved();
    } catch (failure) {
      fail(failure);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="acceptance-form" onSubmit={submit} noValidate>
      <div class="form-grid">
        <InputField
          id="acc-on"
          type="date"
          label={t('acceptance.on')}
          value={acceptedOn}
          onInput={setAcceptedOn}
          error={errors.fields.acceptedOn}
        />
        <InputField
          id="acc-by"
          label={t('acceptance.by')}
          value={acceptedBy}
          onInput={setAcceptedBy}
          error={errors.fields.acceptedBy}
        />
        <InputField
          id="acc-nominal"
          type="number"
          label={t('acceptance.nominal')}
          value={nominal}
          onInput={setNominal}
          error={errors.fields.nominalVoltage}
          hint={
            need
              ? t('acceptance.required', { nominal, voltage: need.testVoltage, seconds: need.seconds })
              : t('acceptance.noRule')
          }
          wide
        />
        <InputField
          id="acc-test-voltage"
          type="number"
          label={t('acceptance.testVoltage')}
          value={testVoltage}
          onInput={setTestVoltage}
          error={errors.fields['dielectric.testVoltage']}
        />
        <InputField
          id="acc-seconds"
          type="number"
          label={t('acceptance.seconds')}
          value={seconds}
          onInput={setSeconds}
          error={errors.fields['dielectric.seconds']}
        />
        <CheckField
          id="acc-dielectric-passed"
          label={t('acceptance.dielectricPassed')}
          checked={dielectricPassed}
          onChange={setDielectricPassed}
        />
        <InputField
          id="acc-resistance"
          type="number"
          step="any"
          label={t('acceptance.resistance')}
          value={resistance}
          onInput={setResistance}
          error={errors.fields['earth.resistanceOhms']}
        />
        <CheckField
          id="acc-earth-passed"
          label={t('acceptance.earthPassed')}
          checked={earthPassed}
          onChange={setEarthPassed}
        />
        <Field id="acc-notes" label={t('acceptance.notes')} error={errors.fields.notes} full>
          <textarea id="acc-notes" rows={2} value={notes} onInput={(e) => setNotes(e.currentTarget.value)} />
        </Field>
      </div>
      {errors.form ? (
        <p class="error" role="alert">
          {errors.form}
        </p>
      ) : null}
      <div class="actions">
        <button type="submit" disabled={busy}>
          {t('acceptance.save')}
        </button>
        <button type="button" class="ghost" onClick={onCancel}>
          {t('acceptance.cancel')}
        </button>
      </div>
    </form>
  );
}
