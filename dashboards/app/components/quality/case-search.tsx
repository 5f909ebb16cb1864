import { useState } from 'preact/hooks';
import { contracts } from '../../../../core/api/index.ts';
import { useApp, useLoad } from '../../context.ts';
import { CaseList } from './case-list.tsx';

/** The case library (案例库): search resolved faults by text in either language. */
export function CaseSearch() {
  const { t, api } = useApp();
  const [text, setText] = useState('');
  const [query, setQuery] = useState('');
  const found = useLoad(() => api.call(contracts.searchCases, { query: { q: query, limit: 20 } }), [query]);
  return (
    <section class="panel" aria-labelledby="cases-title">
      <h2 id="cases-title">{t('quality.cases')}</h2>
      <form
        class="row"
        onSubmit={(e) => {
          e.preventDefault();
          setQuery(text);
        }}
      >
        <input
          aria-label={t('quality.cases.search')}
          type="search"
          value={text}
          placeholder={t('quality.cases.placeholder')}
          onInput={(e) => setText(e.currentTarget.value)}
        />
        <button type="submit">{t('quality.cases.search')}</button>
      </form>
      <CaseList cases={found.data?.cases ?? []} empty={t('quality.cases.none')} />
    </section>
  );
}
