import { useState } from 'preact/hooks';
import { contracts } from '../../../core/api/index.ts';
import { useApp, useLoad } from '../context.ts';
import { formatTime, siteTimeZone } from '../lib/format.ts';
import { can } from '../lib/roles.ts';
import type { Ticket } from '../lib/types.ts';
import { Photos } from '../pages/portal/portal-ticket.tsx';

/** The customer's side of a ticket for the service team: request photos, survey, result feedback (结果反馈). */
export function TicketCarePanel({ ticket }: { ticket: Ticket }) {
  const { api, t, locale, session } = useApp();
  const care = useLoad(
    () => api.call(contracts.ticketCare, { params: { id: ticket.id } }),
    [ticket.id, ticket.updatedAt, ticket.timeline?.length],
  );
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | undefined>(undefined);
  if (!care.data) return null;
  const { photos, survey, resultFeedback: feedback } = care.data;
  const time = (ms: number) => formatTime(ms, siteTimeZone(ticket.site), locale);
  const give = async (event: Event) => {
    event.preventDefault();
    try {
      await api.call(contracts.giveResultFeedback, { params: { id: ticket.id }, body: { note } });
      setNote('');
      setError(undefined);
      care.reload();
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    }
  };
  return (
    <section class="panel ticket-care" aria-labelledby="care-title">
      <h2 id="care-title">{t('care.title')}</h2>
      <h3>{t('care.photos', { n: photos.length })}</h3>
      {photos.length > 0 ? (
        <Photos ticket={ticket.id} photos={photos.map((p) => p.id)} />
      ) : (
        <p class="muted">{t('care.noPhotos')}</p>
      )}
      <h3>{t('care.survey')}</h3>
      {survey ? (
        <p data-survey={survey.score}>
          {t('care.surveyScore', {
            score: survey.score,
            timeliness: survey.aspects.timeliness ?? '—',
            quality: survey.aspects.quality ?? '—',
            attitude: survey.aspects.attitude ?? '—',
          })}
          {survey.comment ? (
            <span class="muted" translate={false}>
              {' '}
              · {survey.comment}
            </span>
          ) : null}
        </p>
      ) : (
        <p class="muted">{care.data.surveyOpen ? t('care.surveyWaiting') : t('care.surveyNotYet')}</p>
      )}
      <h3>
        {t('feedback.title')}{' '}
        <span class="feedback-state" data-state={feedback.state}>
          {t(`feedback.state.${feedback.state}`)}
        </span>
      </h3>
      {feedback.dueAt !== null && feedback.state !== 'done' ? (
        <p class="num">{t('feedback.dueAt', { time: time(feedback.dueAt) })}</p>
      ) : null}
      {feedback.state === 'done' && feedback.doneAt !== null ? (
        <p>
          {t('feedback.doneBy', {
            user: feedback.doneBy ?? '',
            time: time(feedback.doneAt),
            note: feedback.note,
          })}
        </p>
      ) : null}
      {(feedback.state === 'due' || feedback.state === 'overdue') && can.transitionTickets(session.role) ? (
        <form class="transition-form" onSubmit={give}>
          <label for="feedback-note">{t('feedback.note')}</label>
          <textarea
            id="feedback-note"
            required
            rows={2}
            maxLength={2000}
            value={note}
            onInput={(e) => setNote((e.target as HTMLTextAreaElement).value)}
          />
          {error ? (
            <p class="error" role="alert">
              {error}
            </p>
          ) : null}
          <button type="submit">{t('feedback.give')}</button>
        </form>
      ) : null}
    </section>
  );
}
