import { useEffect, useState } from 'preact/hooks';
import { useApp } from '../../context.ts';
import type { Locale } from '../../lib/format.ts';
import './portal.css';
import { PortalHome } from './portal-home.tsx';
import { PortalRequest } from './portal-request.tsx';
import { parsePortalRoute, portalHref } from './portal-route.ts';
import { PortalTicket } from './portal-ticket.tsx';

function usePortalRoute() {
  const [route, setRoute] = useState(() => parsePortalRoute(location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parsePortalRoute(location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}

/**
 * The customer's own app: a phone-first frame (title bar, two tabs at the bottom) around the portal's
 * pages. A customer never sees the staff shell; every address is a portal page.
 */
export function PortalShell({
  onLocale,
  onSignOut,
}: {
  onLocale: (l: Locale) => void;
  onSignOut: () => void;
}) {
  const { t, locale, session } = useApp();
  const route = usePortalRoute();
  useEffect(() => {
    if (!location.hash.startsWith('#/portal')) history.replaceState(null, '', portalHref({ page: 'home' }));
  }, []);
  useEffect(() => {
    window.scrollTo(0, 0);
  }, [route.page, route.page === 'ticket' ? route.id : 0]);
  return (
    <div class="portal">
      <header class="portal-bar">
        <a class="portal-brand" href={portalHref({ page: 'home' })}>
          {t('portal.title')}
        </a>
        <span class="portal-user">{session.username}</span>
        <button
          type="button"
          class="ghost"
          aria-label={t('lang.switchLabel')}
          onClick={() => onLocale(locale === 'en' ? 'zh-CN' : 'en')}
        >
          {t('lang.switch')}
        </button>
        <button type="button" class="ghost" onClick={onSignOut}>
          {t('auth.signOut')}
        </button>
      </header>
      <main class="portal-page">
        {route.page === 'home' ? <PortalHome /> : null}
        {route.page === 'request' ? (
          <PortalRequest key={route.station ?? ''} station={route.station} />
        ) : null}
        {route.page === 'ticket' ? <PortalTicket key={route.id} id={route.id} /> : null}
      </main>
      <nav class="portal-tabs" aria-label={t('portal.nav')}>
        <a href={portalHref({ page: 'home' })} aria-current={route.page !== 'request' ? 'page' : undefined}>
          {t('portal.nav.home')}
        </a>
        <a
          href={portalHref({ page: 'request' })}
          aria-current={route.page === 'request' ? 'page' : undefined}
        >
          {t('portal.nav.request')}
        </a>
      </nav>
    </div>
  );
}
