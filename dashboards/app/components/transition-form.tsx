import { useState } from 'preact/hooks';
import { contracts } from '../../../core/api/index.ts';
import { renderOr } from '../../../core/i18n/render.ts';
import { useApp, useLoad } from '../context.ts';
import { localInputValue } from '../lib/format.ts';
import type { Ticket } from '../lib/types.ts';
import { DEPARTMENTS, SERVICE_MODES, type TicketAction } from '../lib/workflow.ts';
import {
  CloseRecordFields,
  type CloseRecordValue,
  closeRecordBody,
  EMPTY_CLOSE_RECORD,
} from './quality/close-record-fields.tsx';
import { Select } from './select-field.tsx';

interface TransitionFormProps {
  ticket: Ticket;
  action: TicketAction;
  onDone: (ticket: Ticket) => void;
}

/** The form of one workflow step; posts POST /api/tickets/:id/transitions. */
export function TransitionForm({ ticket, action, onDone }: TransitionFormProps) {
  const { t, api, locale } = useApp();
  const [mode, setMode] = useState<(typeof SERVICE_MODES)[number]>('on_site');
  const [department, setDepartment] = useState<(typeof DEPARTMENTS)[number]>('after_sales');
  const [technician, setTechnician] = useState('');
  const [arrival, setArrival] = useState(() => localInputValue(Date.now() + 2 * 3_600_000));
  const [workDone, setWorkDone] = useState('');
  const [parts, setParts] = useState<{ part: string; quantity: number }[]>([]);
  const [rootCause, setRootCause] = useState('');
  const [closeRecord, setCloseRecord] = useState<CloseRecordValue>(EMPTY_CLOSE_RECORD);
  const [signer, setSigner] = useState('');
  const [note, setNote] = useState('');
  /** Set once the server refused to resolve because the alarm is still active (error.alarmStillActive). */
  const [override, setOverride] = useState<string | null>(null);
  /**
   * Set once the server refused to close a fault ticket for its missing quality record
   * (error.closeNeeds.*, a ticket resolved before the record was asked for): the form then asks for it.
   */
  const [needsRecord, setNeedsRecord] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const causes = useLoad(
    () => (action === 'resolve' ? api.call(contracts.listRootCauses) : Promise.resolve({ rootCauses: [] })),
    [action],
  );

  const body = (): Record<string, unknown> => {
    switch (action) {
      case 'triage':
        return { action, mode, department, note };
      case 'dispatch':
        return { action, technician, expectedArrival: new Date(arrival).getTime(), note };
      case 'resolve':
        return {
          action,
          workDone,
          partsUsed: parts.filter((p) => p.part.trim()),
          rootCause,
          ...closeRecordBody(ticket.source, closeRecord),
          note,
          ...(override ? { overrideActiveAlarm: override } : {}),
        };
      case 'sign_off':
        return { action, signerName: signer, note };
      case 'close':
        return { action, ...(needsRecord ? closeRecordBody(ticket.source, closeRecord) : {}), note };
      default:
        return { action, note };
    }
  };
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const answer = await api.send<{ ticket: Ticket }>('POST', `/tickets/${ticket.id}/transitions`, body());
      onDone(answer.ticket);
    } catch (failure) {
      if ((failure as { code?: string }).code === 'error.alarmStillActive' && override === null)
        setOverride('');
      const code = (failure as { code?: string }).code ?? '';
      if (action === 'close' && code.startsWith('error.closeNeeds.') && code !== 'error.closeNeeds.rootCause')
        setNeedsRecord(true);
      setError((failure as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const id = (name: string) => `tf-${ticket.id}-${action}-${name}`;
  return (
    <form class="transition-form" data-action={action} onSubmit={submit} aria-label={t(`action.${action}`)}>
      <h3>{t(`action.${action}`)}</h3>
      {action === 'triage' ? (
        <>
          <label for={id('mode')}>{t('ticket.mode')}</label>
          <Select
            id={id('mode')}
            value={mode}
            choices={SERVICE_MODES.map((m) => ({ value: m, label: t(`mode.${m}`) }))}
            onChange={(value) => setMode(value as typeof mode)}
          />
          <label for={id('dept')}>{t('ticket.department')}</label>
          <Select
            id={id('dept')}
            value={department}
            choices={DEPARTMENTS.map((d) => ({ value: d, label: t(`dept.${d}`) }))}
            onChange={(value) => setDepartment(value as typeof department)}
          />
        </>
      ) : null}
      {action === 'dispatch' ? (
        <>
          <label for={id('tech')}>{t('ticket.technician')}</label>
          <input
            id={id('tech')}
            required
            value={technician}
            onInput={(e) => setTechnician(e.currentTarget.value)}
          />
          <label for={id('eta')}>{t('ticket.expectedArrival')}</label>
          <input
            id={id('eta')}
            type="datetime-local"
            required
            value={arrival}
            onInput={(e) => setArrival(e.currentTarget.value)}
          />
        </>
      ) : null}
      {action === 'resolve' ? (
        <>
          <label for={id('work')}>{t('ticket.workDone')}</label>
          <textarea
            id={id('work')}
            required
            value={workDone}
            onInput={(e) => setWorkDone(e.currentTarget.value)}
          />
          <label for={id('cause')}>{t('ticket.rootCause')}</label>
          <Select
            id={id('cause')}
            required
            value={rootCause}
            choices={[
              { value: '', label: '—', disabled: true },
              ...(causes.data?.rootCauses ?? []).map((c) => ({
                value: c.code,
                label: renderOr(locale, `cause.${c.code}`, {}, c.label),
              })),
            ]}
            onChange={setRootCause}
          />
          <fieldset class="parts">
            <legend>{t('ticket.parts')}</legend>
            {parts.map((p, i) => (
              <div class="row" key={i}>
                <input
                  aria-label={`${t('ticket.part')} ${i + 1}`}
                  value={p.part}
                  onInput={(e) =>
                    setParts(parts.map((q, j) => (j === i ? { ...q, part: e.currentTarget.value } : q)))
                  }
                />
                <input
                  aria-label={`${t('ticket.quantity')} ${i + 1}`}
                  type="number"
                  min={1}
                  class="qty"
                  value={p.quantity}
                  onInput={(e) =>
                    setParts(
                      parts.map((q, j) =>
                        j === i ? { ...q, quantity: Math.max(1, Number(e.currentTarget.value)) } : q,
                      ),
                    )
                  }
                />
                <button
                  type="button"
                  class="ghost small"
                  aria-label={t('ticket.removePart', { n: i + 1 })}
                  onClick={() => setParts(parts.filter((_, j) => j !== i))}
                >
                  ×
                </button>
              </div>
            ))}
            <button
              type="button"
              class="ghost small"
              onClick={() => setParts([...parts, { part: '', quantity: 1 }])}
            >
              {t('ticket.addPart')}
            </button>
          </fieldset>
          <CloseRecordFields
            idPrefix={id('quality')}
            source={ticket.source}
            value={closeRecord}
            onChange={setCloseRecord}
          />
        </>
      ) : null}
      {action === 'close' && needsRecord ? (
        <CloseRecordFields
          idPrefix={id('quality')}
          source={ticket.source}
          value={closeRecord}
          onChange={setCloseRecord}
        />
      ) : null}
      {action === 'resolve' && override !== null ? (
        <div class="override" data-field="override">
          <label for={id('override')}>{t('sla.override')}</label>
          <textarea
            id={id('override')}
            required
            value={override}
            onInput={(e) => setOverride(e.currentTarget.value)}
          />
          <p class="muted small-text">{t('sla.overrideHint')}</p>
        </div>
      ) : null}
      {action === 'sign_off' ? (
        <>
          <label for={id('signer')}>{t('ticket.signerName')}</label>
          <input
            id={id('signer')}
            required
            value={signer}
            onInput={(e) => setSigner(e.currentTarget.value)}
          />
        </>
      ) : null}
      <label for={id('note')}>{t('ticket.note')}</label>
      <input
        id={id('note')}
        required={action === 'reopen'}
        value={note}
        onInput={(e) => setNote(e.currentTarget.value)}
      />
      {error ? (
        <p class="error" role="alert">
          {t('ticket.failed', { error })}
        </p>
      ) : null}
      <button type="submit" disabled={busy}>
        {t(`action.${action}`)}
      </button>
    </form>
  );
}
