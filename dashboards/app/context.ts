import { createContext } from 'preact';
import { useContext, useEffect, useState } from 'preact/hooks';
import type { Translate } from './i18n/translate.ts';
import type { Api } from './lib/api.ts';
import type { Locale } from './lib/format.ts';
import type { LiveClient, LiveSnapshot } from './lib/live-client.ts';
import type { Session } from './lib/types.ts';

export interface AppContextValue {
  session: Session;
  api: Api;
  live: LiveClient;
  locale: Locale;
  t: Translate;
}

export const AppContext = createContext<AppContextValue | null>(null);

export function useApp(): AppContextValue {
  const value = useContext(AppContext);
  if (!value) throw new Error('useApp outside the signed-in app');
  return value;
}

/** The live snapshot, re-rendering on every change. */
export function useLive(): LiveSnapshot {
  const { live } = useApp();
  const [snapshot, setSnapshot] = useState(live.current);
  useEffect(() => {
    setSnapshot(live.current);
    return live.subscribe(setSnapshot);
  }, [live]);
  return snapshot;
}

/** The time, ticking every `ms`, for ages and countdowns. */
export function useNow(ms = 1000): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(timer);
  }, [ms]);
  return now;
}

/** Loads `load()` whenever `deps` change; keeps the last good value while reloading. */
export function useLoad<T>(
  load: () => Promise<T>,
  deps: unknown[],
): { data: T | undefined; error: string | undefined; reload: () => void } {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const [round, setRound] = useState(0);
  useEffect(() => {
    let current = true;
    load()
      .then((value) => {
        if (!current) return;
        setData(value);
        setError(undefined);
      })
      .catch((failure: unknown) => {
        if (current) setError(failure instanceof Error ? failure.message : String(failure));
      });
    return () => {
      current = false;
    };
  }, [...deps, round]);
  return { data, error, reload: () => setRound((r) => r + 1) };
}
