import { useState } from 'preact/hooks';
import { contracts } from '../../../../core/api/index.ts';
import type { QualityActionStatus } from '../../../../core/quality/vocabulary.ts';
import { useApp, useLoad } from '../../context.ts';
import { formatTime, siteTimeZone } from '../../lib/format.ts';
import { failureModeText } from './action-table.tsx';

const MOVES: Record<QualityActionStatus, QualityActionStatus[]> = {
  open: ['in_progress'],
  in_progress: ['verified_closed', 'open'],
  verified_closed: ['in_progress'],
};

/** One quality action: its facts, timeline, the next status and a new owner. */
export function ActionDetail({ id, onChanged }: { id: number; onChanged: () => void }) {
  const { t, api, locale } = useApp();
  const loaded = useLoad(() => api.call(contracts.getQualityAction, { params: { id } }), [id]);
  const [note, setNote] = useState('');
  const [owner, setOwner] = useState('');
  const [error, setError] = useState<string | undefined>();
  const action = loaded.data?.action;
  if (loaded.error) return <p class="error">{t('common.error', { error: loaded.error })}</p>;
  if (!action) return <p>{t('common.loading')}</p>;
  const zone = siteTimeZone(action.site);
  const run = async (work: () => Promise<unknown>) => {
    setError(undefined);
    try {
      await work();
      setNote('');
      setOwner('');
      loaded.reload();
      onChanged();
    } catch (failure) {
      setError((failure as Error).message);
    }
  };
  const move = (status: QualityActionStatus) =>
    run(() => api.call(contracts.moveQualityAction, { params: { id }, body: { status, note } }));
  const reassign = (event: Event) => {
    event.preventDefault();
    void run(() => api.call(contracts.updateQualityAction, { params: { id }, body: { owner, note } }));
  };
  return (
    <section class="panel quality-detail" aria-labelledby="qa-detail-title" data-status={action.status}>
      <h2 id="qa-detail-title">
        {t('quality.detail', { id: action.id })} · {t(`quality.status.${action.status}`)}
        {action.overdue ? <span class="overdue-flag"> {t('quality.overdue')}</span> : null}
      </h2>
      <p>
        {action.station} · {failureModeText(locale, action.failureMode)} ·{' '}
        {action.reasons.map((r) => t(`quality.reason.${r}`)).join('、')}
      </p>
      <p class="muted">{action.title}</p>
      <label for="qa-note">{t('quality.note')}</label>
      <input id="qa-note" value={note} onInput={(e) => setNote(e.currentTarget.value)} />
      <div class="row">
        {MOVES[action.status].map((to) => (
          <button type="button" key={to} data-move={to} onClick={() => void move(to)}>
            {t(`quality.move.${to}`)}
          </button>
        ))}
      </div>
      <form class="row" onSubmit={reassign}>
        <label for="qa-owner">{t('quality.owner')}</label>
        <input
          id="qa-owner"
          required
          value={owner}
          placeholder={action.owner}
          onInput={(e) => setOwner(e.currentTarget.value)}
        />
        <button type="submit" class="ghost">
          {t('quality.reassign')}
        </button>
      </form>
      {error ? <p class="error">{error}</p> : null}
      <h3>{t('quality.timeline')}</h3>
      <ol class="timeline">
        {(action.timeline ?? []).map((e, i) => (
          <li key={i} data-kind={e.kind}>
            <span class="num muted">{formatTime(e.at, zone, locale)}</span> <strong>{e.actor}</strong>{' '}
            {kindText(t, e.kind)}
            {e.kind === 'status' && e.to ? ` → ${t(`quality.status.${e.to as QualityActionStatus}`)}` : ''}
            {e.kind === 'assigned' && e.to ? ` → ${e.to}` : ''}
            {e.note && e.kind !== 'opened' ? <span class="muted"> · {e.note}</span> : null}
          </li>
        ))}
      </ol>
    </section>
  );
}

function kindText(t: ReturnType<typeof useApp>['t'], kind: string): string {
  switch (kind) {
    case 'opened':
    case 'status':
    case 'assigned':
    case 'due':
    case 'note':
      return t(`quality.event.${kind}`);
    default:
      return kind;
  }
}
