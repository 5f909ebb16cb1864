import { useEffect, useState } from 'preact/hooks';
import { contracts } from '../../../core/api/index.ts';
import type { CommandView } from '../../../core/commands/payloads.ts';
import { useApp } from '../context.ts';
import type { MessageKey } from '../i18n/translate.ts';
import { ApiError } from '../lib/api.ts';
import {
  type CommandChoice,
  pumpCommands,
  pumpStates,
  stopsLastPump,
  withCommand,
} from '../lib/command-choices.ts';
import { formatTime, siteTimeZone } from '../lib/format.ts';
import { can } from '../lib/roles.ts';
import { pumpNumbers } from '../lib/station-status.ts';
import type { StationView } from '../lib/types.ts';

type Step = { choice: CommandChoice; second: boolean };

/**
 * Remote commands of one station for operators, engineers and admins: a button per command that
 * makes sense now, a confirmation naming the station and pump (a second one before stopping the last
 * running pump), the command's state live, and the station's recent commands.
 */
export function CommandPanel({ view }: { view: StationView }) {
  const { t, api, locale, session, live } = useApp();
  const { site, station } = view;
  const [recent, setRecent] = useState<CommandView[]>([]);
  const [step, setStep] = useState<Step | undefined>();
  const [current, setCurrent] = useState<{
    id?: string;
    status: CommandView['status'] | 'sending';
    error?: string;
  }>();
  const [setpoint, setSetpoint] = useState('');
  const [inputError, setInputError] = useState<string | undefined>();

  useEffect(() => {
    let open = true;
    api
      .call(contracts.listCommands, { params: { site, station }, query: { limit: 10 } })
      .then((answer) => open && setRecent(answer.commands))
      .catch(() => undefined);
    const off = live.onCommand((command) => {
      if (command.site !== site || command.station !== station) return;
      setRecent((list) => withCommand(list, command));
      setCurrent((held) => (held?.id === command.id ? { ...held, status: command.status } : held));
    });
    return () => {
      open = false;
      off();
    };
  }, [site, station]);

  if (!can.sendCommands(session.role)) return null;
  const states = pumpStates(view, pumpNumbers(view));
  const nowSetpoint = view.values['pressure.setpoint']?.v;
  const codeText = (code: string | null) => (code ? t(`commands.code.${code}` as MessageKey) : '');

  const send = async ({ choice, second }: Step) => {
    setStep(undefined);
    setCurrent({ status: 'sending' });
    try {
      const answer = await api.call(contracts.sendCommand, {
        params: { site, station },
        body: {
          command: choice.kind,
          ...(choice.pump !== undefined ? { pump: choice.pump } : {}),
          ...(choice.value !== undefined ? { value: choice.value } : {}),
          ...(second ? { confirmLastPump: true } : {}),
        },
      });
      setCurrent({ id: answer.id, status: answer.status });
      setRecent((list) => withCommand(list, answer));
    } catch (error) {
      // The server saw a pump stop that the page did not: ask the second time now.
      if (error instanceof ApiError && error.code === 'command.refused.last_running_pump') {
        setCurrent(undefined);
        setStep({ choice, second: true });
        return;
      }
      setCurrent({ status: 'refused', error: error instanceof Error ? error.message : String(error) });
    }
  };
  const confirm = () => {
    if (!step) return;
    if (!step.second && stopsLastPump(step.choice, states)) setStep({ ...step, second: true });
    else void send(step);
  };
  const askSetpoint = (event: Event) => {
    event.preventDefault();
    const value = Number(setpoint.replace(',', '.'));
    if (setpoint.trim() === '' || !Number.isFinite(value) || value < 0 || value > 16) {
      setInputError(t('commands.badValue'));
      return;
    }
    setInputError(undefined);
    setStep({ choice: { kind: 'set_pressure', value }, second: false });
  };
  const question = (s: Step) =>
    s.second
      ? t('commands.askLast', { pump: s.choice.pump ?? '', station })
      : t(`commands.ask.${s.choice.kind}`, {
          pump: s.choice.pump ?? '',
          station,
          value: s.choice.value ?? '',
        });

  return (
    <section class="command-panel panel" aria-labelledby="command-panel-title">
      <h2 id="command-panel-title">{t('commands.title')}</h2>
      <ul class="command-pumps">
        {states.map((state) => (
          <li key={state.pump} class="command-pump">
            <span class="command-pump-name">
              {t('commands.pump', { n: state.pump })}{' '}
              <span class="muted">
                {t(
                  state.tripped
                    ? 'commands.tripped'
                    : state.running
                      ? 'commands.running'
                      : 'commands.stopped',
                )}
                {state.duty ? ` · ${t('commands.duty')}` : ''}
              </span>
            </span>
            <span class="command-buttons">
              {pumpCommands(state).map((kind) => (
                <button
                  type="button"
                  class="small"
                  key={kind}
                  data-command={`${kind}-${state.pump}`}
                  disabled={current?.status === 'sending'}
                  onClick={() => setStep({ choice: { kind, pump: state.pump }, second: false })}
                >
                  {t(`commands.kind.${kind}`)}
                </button>
              ))}
            </span>
          </li>
        ))}
      </ul>
      <form class="command-setpoint" onSubmit={askSetpoint}>
        <label>
          {t('commands.setpoint')}{' '}
          <input
            type="number"
            step="0.01"
            min="0"
            max="16"
            inputMode="decimal"
            class="command-setpoint-input"
            value={setpoint}
            placeholder={typeof nowSetpoint === 'number' ? String(nowSetpoint) : ''}
            onInput={(e) => setSetpoint((e.target as HTMLInputElement).value)}
          />
        </label>
        <button type="submit" class="small" disabled={current?.status === 'sending'}>
          {t('commands.kind.set_pressure')}
        </button>
        {typeof nowSetpoint === 'number' ? (
          <span class="muted">{t('commands.setpointNow', { value: nowSetpoint })}</span>
        ) : null}
        {inputError ? <p class="error">{inputError}</p> : null}
      </form>
      {current ? (
        <p class="command-status" data-status={current.status} role="status">
          {t(`commands.status.${current.status === 'sending' ? 'pending' : current.status}`)}
          {current.error ? ` · ${current.error}` : ''}
        </p>
      ) : null}
      {step ? (
        <div
          class="command-dialog"
          role="alertdialog"
          aria-modal="true"
          aria-labelledby="command-dialog-title"
        >
          <div class="command-dialog-box panel">
            <h3 id="command-dialog-title">{t('commands.dialogTitle')}</h3>
            <p data-second={step.second ? 'yes' : 'no'}>{question(step)}</p>
            <div class="command-dialog-actions">
              <button type="button" class={step.second ? 'danger' : ''} data-confirm onClick={confirm}>
                {t(step.second ? 'commands.confirmLast' : 'commands.confirm')}
              </button>
              <button type="button" class="ghost" onClick={() => setStep(undefined)}>
                {t('commands.cancel')}
              </button>
            </div>
          </div>
        </div>
      ) : null}
      <h3>{t('commands.recent')}</h3>
      {recent.length === 0 ? (
        <p class="muted">{t('commands.none')}</p>
      ) : (
        <ul class="command-recent">
          {recent.map((command) => (
            <li key={command.id} data-status={command.status}>
              <span class="num muted">{formatTime(command.issuedAt, siteTimeZone(site), locale)}</span>{' '}
              <span>
                {t(`commands.kind.${command.kind}`)}
                {command.pump !== null ? ` · ${t('commands.pump', { n: command.pump })}` : ''}
                {command.value !== null ? ` · ${command.value}` : ''}
              </span>{' '}
              <span class="command-badge" data-status={command.status}>
                {t(`commands.status.${command.status}`)}
              </span>{' '}
              <span class="muted">
                {t('commands.by', { user: command.by })}
                {command.code ? ` · ${codeText(command.code)}` : ''}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
