import { useState } from 'preact/hooks';
import { contracts } from '../../../../core/api/index.ts';
import { MESSAGE_KINDS, type MessageKind, renderMessage } from '../../../../core/notify/messages.ts';
import { useApp, useLoad } from '../../context.ts';
import { formatTime } from '../../lib/format.ts';

const TIME_ZONE = 'Asia/Shanghai';

/** Notifications: who is on call, the settings (as JSON), the message log and the webhook dead letters. */
export function NotifySection() {
  return (
    <div class="notify-admin">
      <OnCall />
      <SettingsEditor />
      <MessageLog />
      <DeadLetters />
    </div>
  );
}

function OnCall() {
  const { t, api } = useApp();
  const answer = useLoad(() => api.call(contracts.onCallNow), []);
  const teams = answer.data?.teams ?? [];
  return (
    <section>
      <h3>{t('notify.onCall')}</h3>
      {answer.error ? <p class="error">{t('common.error', { error: answer.error })}</p> : null}
      {answer.data && teams.length === 0 ? <p class="muted">{t('notify.noTeams')}</p> : null}
      <div class="table-wrap" hidden={teams.length === 0}>
        <table id="notify-on-call">
          <thead>
            <tr>
              <th>{t('notify.team')}</th>
              <th>{t('notify.onCallPerson')}</th>
              <th>{t('notify.supervisor')}</th>
              <th>{t('notify.manager')}</th>
            </tr>
          </thead>
          <tbody>
            {teams.map((team) => (
              <tr key={team.id}>
                <td>{team.name || team.id}</td>
                <td>{team.onCall ?? t('notify.nobody')}</td>
                <td>{team.supervisor ?? t('notify.nobody')}</td>
                <td>{team.manager ?? t('notify.nobody')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function SettingsEditor() {
  const { t, api } = useApp();
  const answer = useLoad(() => api.call(contracts.getNotifySettings), []);
  const [text, setText] = useState<string | undefined>(undefined);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | undefined>(undefined);
  const shown = text ?? (answer.data ? JSON.stringify(answer.data.settings, null, 2) : '');
  const save = async () => {
    let body: unknown;
    try {
      body = JSON.parse(shown);
    } catch (error) {
      setMessage({ ok: false, text: t('notify.badJson', { error: (error as Error).message }) });
      return;
    }
    try {
      const saved = await api.send<{ settings: unknown }>('PUT', '/notifications/settings', body);
      setText(JSON.stringify(saved.settings, null, 2));
      setMessage({ ok: true, text: t('notify.saved') });
    } catch (error) {
      setMessage({ ok: false, text: (error as Error).message });
    }
  };
  return (
    <section class="notify-settings">
      <h3>{t('notify.settings')}</h3>
      <p class="muted">{t('notify.settingsHint')}</p>
      <textarea
        id="notify-settings"
        spellcheck={false}
        value={shown}
        onInput={(e) => setText((e.target as HTMLTextAreaElement).value)}
      />
      <p>
        <button type="button" onClick={() => void save()}>
          {t('notify.save')}
        </button>{' '}
        {message ? (
          <span class={message.ok ? 'muted' : 'error'} role="status">
            {message.text}
          </span>
        ) : null}
      </p>
    </section>
  );
}

function MessageLog() {
  const { t, api, locale } = useApp();
  const answer = useLoad(() => api.call(contracts.listNotifyLog, { query: { limit: 200 } }), []);
  const entries = answer.data?.entries ?? [];
  return (
    <section>
      <h3>{t('notify.log')}</h3>
      {answer.error ? <p class="error">{t('common.error', { error: answer.error })}</p> : null}
      {answer.data && entries.length === 0 ? <p class="muted">{t('notify.logEmpty')}</p> : null}
      {entries.length ? (
        <div class="table-wrap">
          <table id="notify-log">
            <thead>
              <tr>
                <th>{t('notify.col.when')}</th>
                <th>{t('notify.col.to')}</th>
                <th>{t('notify.col.channel')}</th>
                <th>{t('notify.col.message')}</th>
                <th>{t('notify.col.result')}</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((entry) => (
                <tr key={entry.id} data-status={entry.status}>
                  <td>{formatTime(entry.at, TIME_ZONE, locale)}</td>
                  <td title={entry.address}>{entry.recipient}</td>
                  <td>{entry.channel}</td>
                  {/* Rendered again from code and params in the reader's language. */}
                  <td>
                    {MESSAGE_KINDS.includes(entry.kind as MessageKind)
                      ? renderMessage(entry.kind, entry.params, locale, TIME_ZONE).subject
                      : entry.subject}
                  </td>
                  <td title={entry.detail}>
                    {t(`notify.status.${entry.status}`)}
                    {entry.status === 'held' && entry.holdUntil !== null ? (
                      // Held at most a day: the time says when; the full date is in the title.
                      <small class="held-until" title={formatTime(entry.holdUntil, TIME_ZONE, locale)}>
                        {' '}
                        {t('notify.heldUntil', {
                          at: formatTime(entry.holdUntil, TIME_ZONE, locale, false).slice(0, 5),
                        })}
                      </small>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}

function DeadLetters() {
  const { t, api, locale } = useApp();
  const answer = useLoad(() => api.call(contracts.listDeadLetters), []);
  const letters = answer.data?.deadLetters ?? [];
  const replay = async (id: number) => {
    await api.call(contracts.replayDeadLetter, { params: { id } });
    answer.reload();
  };
  return (
    <section>
      <h3>{t('notify.deadLetters')}</h3>
      {answer.error ? <p class="error">{t('common.error', { error: answer.error })}</p> : null}
      {answer.data && letters.length === 0 ? <p class="muted">{t('notify.deadEmpty')}</p> : null}
      {letters.length ? (
        <ul>
          {letters.map((letter) => (
            <li key={letter.id}>
              {formatTime(letter.createdAt, TIME_ZONE, locale)} <code>{letter.webhookId}</code>{' '}
              <code>{letter.dedupeKey}</code> {t('notify.attempts', { n: letter.attempts })}{' '}
              <span class="muted">{letter.lastError}</span>{' '}
              <button type="button" onClick={() => void replay(letter.id)}>
                {t('notify.replay')}
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
