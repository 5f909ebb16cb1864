import { useApp } from '../context.ts';
import { routeHref } from '../lib/router.ts';
import { ADMIN_SECTIONS } from './admin/sections.tsx';

/** Administration: master data, edges, accounts and the audit log, one tab per section. */
export function AdminPage({ section }: { section?: string | undefined }) {
  const { t } = useApp();
  const current = ADMIN_SECTIONS.find((s) => s.id === section) ?? ADMIN_SECTIONS[0];
  if (!current) return null;
  const View = current.view;
  return (
    <section aria-labelledby="admin-title">
      <header class="page-head">
        <h1 id="admin-title">{t('admin.title')}</h1>
      </header>
      <nav class="tabs" aria-label={t('admin.sections')}>
        {ADMIN_SECTIONS.map((s) => (
          <a
            key={s.id}
            href={routeHref({ page: 'admin', section: s.id })}
            aria-current={s.id === current.id ? 'page' : undefined}
          >
            {t(s.label)}
          </a>
        ))}
      </nav>
      <View />
    </section>
  );
}
