import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { contracts } from '../../core/api/index.ts';
import { Shell } from './components/shell.tsx';
import { AppContext, type AppContextValue } from './context.ts';
import { LOCALE_KEY, preferredLocale, storeLocale, translator } from './i18n/translate.ts';
import { createApi, loadSession, saveSession } from './lib/api.ts';
import type { Locale } from './lib/format.ts';
import { LiveClient } from './lib/live-client.ts';
import { parseRoute } from './lib/router.ts';
import type { Session } from './lib/types.ts';
import { PortalShell } from './pages/portal/portal-shell.tsx';
import { SignIn } from './pages/sign-in.tsx';

function useRoute() {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}

export function App() {
  const [session, setSession] = useState<Session | undefined>(() => loadSession(localStorage, Date.now()));
  const [locale, setLocaleState] = useState<Locale>(() => preferredLocale(localStorage, navigator.languages));
  // The API renders its refusals in the language shown when they arrive, without a new connection.
  const localeRef = useRef(locale);
  localeRef.current = locale;
  const route = useRoute();

  const signOut = () => {
    saveSession(localStorage, undefined);
    setSession(undefined);
  };
  const value = useMemo<AppContextValue | undefined>(() => {
    if (!session) return undefined;
    const api = createApi(session, signOut, () => localeRef.current);
    return { session, api, live: new LiveClient(api, session.token), locale, t: translator(locale) };
    // The live connection belongs to the session; a language change must not reconnect it.
  }, [session]);
  useEffect(() => () => value?.live.close(), [value]);
  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);

  const setLocale = (next: Locale) => {
    storeLocale(localStorage, next);
    setLocaleState(next);
  };
  const onSignedIn = (next: Session) => {
    saveSession(localStorage, next);
    // The portal is Chinese-first: a customer who never chose a language reads Chinese.
    if (next.role === 'customer' && localStorage.getItem(LOCALE_KEY) === null) setLocale('zh-CN');
    setSession(next);
  };

  if (!value) return <SignIn locale={locale} onLocale={setLocale} onSignedIn={onSignedIn} />;
  // Signing out ends the token on the server too (POST /api/auth/logout), so a copy of it is of no use.
  const signOutClicked = () => {
    void value.api
      .call(contracts.logout)
      .catch(() => {})
      .finally(signOut);
  };
  return (
    <AppContext.Provider value={{ ...value, locale, t: translator(locale) }}>
      {value.session.role === 'customer' ? (
        <PortalShell onLocale={setLocale} onSignOut={signOutClicked} />
      ) : (
        <Shell route={route} onLocale={setLocale} onSignOut={signOutClicked} />
      )}
    </AppContext.Provider>
  );
}
