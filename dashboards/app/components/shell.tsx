import { useApp, useLive, useNow } from '../context.ts';
import { formatDuration, type Locale } from '../lib/format.ts';
import { pagesFor } from '../lib/roles.ts';
import { type Route, routeHref } from '../lib/router.ts';
import { AdminPage } from '../pages/admin.tsx';
import { AlarmsPage } from '../pages/alarms.tsx';
import { CalendarPage } from '../pages/calendar.tsx';
import { EngineerPage } from '../pages/engineer.tsx';
import { OverviewPage } from '../pages/overview.tsx';
import { QualityPage } from '../pages/quality.tsx';
import { ReportsPage } from '../pages/reports/reports-page.tsx';
import { ServiceBoardPage } from '../pages/service-board.tsx';
import { ServiceRecordPage } from '../pages/service-record.tsx';
import { StationPage } from '../pages/station.tsx';
import { TicketPage } from '../pages/ticket.tsx';
import { AlarmAlerts } from './alarm-alerts.tsx';

interface ShellProps {
  route: Route;
  onLocale: (locale: Locale) => void;
  onSignOut: () => void;
}

/** Header (navigation by role, live link state, language, user) and the current page. */
export function Shell({ route, onLocale, onSignOut }: ShellProps) {
  const { session, t, locale } = useApp();
  const live = useLive();
  const now = useNow();
  const pages = pagesFor(session.role);
  const current =
    route.page === 'station'
      ? 'overview'
      : route.page === 'ticket' || route.page === 'service-record'
        ? 'service'
        : route.page;
  const stale = live.link !== 'live';
  return (
    <div class="shell">
      <header class="topbar">
        <a class="brand" href="#/">
          {t('app.title')}
        </a>
        <nav aria-label={t('nav.main')}>
          {pages.map((page) => (
            <a
              key={page}
              href={routeHref({ page } as Route)}
              aria-current={current === page ? 'page' : undefined}
            >
              {t(`nav.${page}`)}
            </a>
          ))}
        </nav>
        <div class="topbar-end">
          <AlarmAlerts />
          <span class="link-state" data-state={live.link} role="status" aria-live="polite">
            {t(`live.${live.link}`)}
          </span>
          <button
            type="button"
            class="ghost"
            aria-label={t('lang.switchLabel')}
            onClick={() => onLocale(locale === 'en' ? 'zh-CN' : 'en')}
          >
            {t('lang.switch')}
          </button>
          <span class="user">
            {t('auth.signedInAs', { user: session.username, role: t(`role.${session.role}`) })}
          </span>
          <button type="button" class="ghost" onClick={onSignOut}>
            {t('auth.signOut')}
          </button>
        </div>
      </header>
      {stale && live.link === 'reconnecting' ? (
        <p class="stale-banner" role="alert">
          {t('live.staleBanner', { age: formatDuration(now - live.lastMessageAt, locale) })}
        </p>
      ) : null}
      <main class={stale ? 'page is-stale' : 'page'}>{renderPage(route)}</main>
    </div>
  );
}

function renderPage(route: Route) {
  switch (route.page) {
    case 'overview':
      return <OverviewPage />;
    case 'station':
      return (
        <StationPage
          key={route.station}
          station={route.station}
          pathRange={route.range}
          query={route.query}
        />
      );
    case 'alarms':
      return <AlarmsPage />;
    case 'service':
      return <ServiceBoardPage />;
    case 'ticket':
      return <TicketPage id={route.id} />;
    case 'service-record':
      return <ServiceRecordPage id={route.id} />;
    case 'engineer':
      return <EngineerPage />;
    case 'calendar':
      return <CalendarPage />;
    case 'quality':
      return <QualityPage action={route.action} />;
    case 'reports':
      return <ReportsPage />;
    case 'admin':
      return <AdminPage section={route.section} />;
  }
}
