import { useState } from 'preact/hooks';
import { contracts } from '../../../../core/api/index.ts';
import { SURVEY_ASPECTS } from '../../../../core/api/portal.ts';
import { useApp } from '../../context.ts';

type Field = 'score' | (typeof SURVEY_ASPECTS)[number];
const FIELDS: readonly Field[] = ['score', ...SURVEY_ASPECTS];

/** 1-5 as five buttons (a radio group): large targets on a phone. */
function Stars({ field, value, onPick }: { field: Field; value: number; onPick: (n: number) => void }) {
  const { t } = useApp();
  const name = field === 'score' ? t('portal.survey.score') : t(`portal.survey.aspect.${field}`);
  return (
    <fieldset class="portal-stars" data-field={field}>
      <legend>{name}</legend>
      {[1, 2, 3, 4, 5].map((n) => (
        <label key={n} class={n <= value ? 'on' : ''}>
          <input
            type="radio"
            name={`survey-${field}`}
            value={n}
            checked={value === n}
            aria-label={`${name} ${t('portal.survey.star', { n })}`}
            onChange={() => onPick(n)}
          />
          <span aria-hidden="true">★</span>
        </label>
      ))}
    </fieldset>
  );
}

/** The satisfaction survey (顾客满意度调查) of a closed ticket: overall, three aspects, a comment. */
export function SurveyForm({ ticket, onDone }: { ticket: number; onDone: () => void }) {
  const { api, t } = useApp();
  const [scores, setScores] = useState<Record<Field, number>>({
    score: 0,
    timeliness: 0,
    quality: 0,
    attitude: 0,
  });
  const [comment, setComment] = useState('');
  const [error, setError] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    if (FIELDS.some((field) => scores[field] === 0)) {
      setError(t('portal.survey.pick'));
      return;
    }
    setBusy(true);
    try {
      await api.call(contracts.answerSurvey, {
        params: { id: ticket },
        body: {
          score: scores.score,
          aspects: { timeliness: scores.timeliness, quality: scores.quality, attitude: scores.attitude },
          comment,
        },
      });
      onDone();
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="portal-survey" onSubmit={submit} aria-labelledby="survey-title">
      <h2 id="survey-title">{t('portal.survey.title')}</h2>
      <p class="muted small-text">{t('portal.survey.intro')}</p>
      {FIELDS.map((field) => (
        <Stars
          key={field}
          field={field}
          value={scores[field]}
          onPick={(n) => {
            setScores({ ...scores, [field]: n });
            setError(undefined);
          }}
        />
      ))}
      <label for="survey-comment">{t('portal.survey.comment')}</label>
      <textarea
        id="survey-comment"
        rows={3}
        maxLength={2000}
        value={comment}
        onInput={(e) => setComment((e.target as HTMLTextAreaElement).value)}
      />
      {error ? (
        <p class="error" role="alert">
          {error}
        </p>
      ) : null}
      <button type="submit" class="portal-button" disabled={busy}>
        {t('portal.survey.submit')}
      </button>
    </form>
  );
}
