import { useState } from 'preact/hooks';
import { contracts } from '../../../core/api/index.ts';
import { ActionDetail } from '../components/quality/action-detail.tsx';
import { ActionTable } from '../components/quality/action-table.tsx';
import { CaseSearch } from '../components/quality/case-search.tsx';
import { NcrSection } from '../components/quality/ncr-section.tsx';
import { useApp, useLoad } from '../context.ts';

const FILTERS = ['openOnly', 'overdue', 'all'] as const;
type Filter = (typeof FILTERS)[number];

/** The quality loop for supervisors: quality actions, non-conforming products and the case library. */
export function QualityPage({ action }: { action?: number | undefined }) {
  const { t, api } = useApp();
  const [filter, setFilter] = useState<Filter>('openOnly');
  const list = useLoad(
    () =>
      api.call(contracts.listQualityActions, {
        query:
          filter === 'overdue'
            ? { overdue: 'true' }
            : filter === 'openOnly'
              ? { status: 'open,in_progress' }
              : {},
      }),
    [filter],
  );
  return (
    <section class="quality" aria-labelledby="quality-title">
      <header class="page-head">
        <h1 id="quality-title">{t('quality.title')}</h1>
      </header>
      <div class="quality-grid">
        <section class="panel" aria-labelledby="qa-title">
          <h2 id="qa-title">{t('quality.actions')}</h2>
          <fieldset class="row filter-group">
            {FILTERS.map((f) => (
              <button
                type="button"
                key={f}
                class={filter === f ? '' : 'ghost'}
                aria-pressed={filter === f}
                onClick={() => setFilter(f)}
              >
                {t(`quality.filter.${f}`)}
              </button>
            ))}
          </fieldset>
          {list.error ? <p class="error">{t('common.error', { error: list.error })}</p> : null}
          <ActionTable actions={list.data?.actions ?? []} selected={action} />
        </section>
        {action !== undefined ? <ActionDetail id={action} onChanged={() => list.reload()} /> : null}
        <NcrSection />
        <CaseSearch />
      </div>
    </section>
  );
}
