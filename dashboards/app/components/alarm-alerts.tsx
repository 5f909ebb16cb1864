import { useEffect, useRef, useState } from 'preact/hooks';
import { useApp, useLive } from '../context.ts';

/** Each user's choice, kept in this browser: a sound and a browser notification on new alarms. */
export interface AlertPrefs {
  sound: boolean;
  browser: boolean;
}

const prefsKey = (username: string) => `aftercare.alarmAlerts.${username}`;

export function loadAlertPrefs(storage: Storage, username: string): AlertPrefs {
  try {
    const saved = JSON.parse(storage.getItem(prefsKey(username)) ?? '{}') as Partial<AlertPrefs>;
    return { sound: saved.sound !== false, browser: saved.browser !== false };
  } catch {
    return { sound: true, browser: true };
  }
}

export function saveAlertPrefs(storage: Storage, username: string, prefs: AlertPrefs): void {
  storage.setItem(prefsKey(username), JSON.stringify(prefs));
}

/** The tab's title: `(3) 告警 · Aftercare` while alarms are active, else `Aftercare`. */
export function alarmTabTitle(count: number, word: string): string {
  return count > 0 ? `(${count}) ${word} · Aftercare` : 'Aftercare';
}

/** A short two-tone beep through Web Audio (no sound file to ship or load). */
function beep(): void {
  const Context = window.AudioContext;
  if (!Context) return;
  const audio = new Context();
  const gain = audio.createGain();
  gain.gain.value = 0.15;
  gain.connect(audio.destination);
  [880, 660].forEach((hz, i) => {
    const tone = audio.createOscillator();
    tone.frequency.value = hz;
    tone.connect(gain);
    tone.start(audio.currentTime + i * 0.18);
    tone.stop(audio.currentTime + i * 0.18 + 0.15);
  });
  setTimeout(() => void audio.close(), 1000);
}

/**
 * Keeps the tab title at the active alarm count, and alerts once per new alarm (a sound, a browser
 * notification), as this user chose in the header's menu. Alarms present at sign-in are not new.
 */
export function AlarmAlerts() {
  const { t, session } = useApp();
  const live = useLive();
  const [prefs, setPrefs] = useState(() => loadAlertPrefs(localStorage, session.username));
  const known = useRef<Set<number> | undefined>(undefined);
  const active = live.activeAlarms.filter((a) => a.status === 'active_unack' || a.status === 'active_ack');
  const word = t('notify.titleAlarms');

  useEffect(() => {
    document.title = alarmTabTitle(active.length, word);
  }, [active.length, word]);
  useEffect(
    () => () => {
      document.title = 'Aftercare';
    },
    [],
  );

  useEffect(() => {
    if (live.alarmVersion === 0 && live.activeAlarms.length === 0 && !known.current) return;
    if (!known.current) {
      known.current = new Set(live.activeAlarms.map((a) => a.id));
      return;
    }
    const fresh = live.activeAlarms.filter((a) => !known.current?.has(a.id));
    for (const alarm of fresh) known.current.add(alarm.id);
    if (fresh.length === 0) return;
    if (prefs.sound) beep();
    if (prefs.browser && 'Notification' in window && Notification.permission === 'granted') {
      for (const alarm of fresh.slice(0, 3))
        new Notification(t('notify.newAlarm', { station: alarm.station }), {
          body: alarm.title,
          tag: `alarm-${alarm.id}`,
        });
    }
  }, [live.activeAlarms]);

  const change = (next: AlertPrefs) => {
    setPrefs(next);
    saveAlertPrefs(localStorage, session.username, next);
    if (next.browser && !prefs.browser && 'Notification' in window && Notification.permission === 'default')
      void Notification.requestPermission();
  };
  const denied = 'Notification' in window && Notification.permission === 'denied';
  return (
    <details class="alarm-alerts">
      <summary aria-label={t('notify.alerts')} title={t('notify.alerts')}>
        <BellIcon muted={!prefs.sound && !prefs.browser} />
        {active.length > 0 ? <span class="alarm-count">{active.length}</span> : null}
      </summary>
      <div class="alarm-alerts-menu">
        <label>
          <input
            type="checkbox"
            id="alert-sound"
            checked={prefs.sound}
            onChange={(e) => change({ ...prefs, sound: (e.target as HTMLInputElement).checked })}
          />
          {t('notify.sound')}
        </label>
        <label>
          <input
            type="checkbox"
            id="alert-browser"
            checked={prefs.browser}
            onChange={(e) => change({ ...prefs, browser: (e.target as HTMLInputElement).checked })}
          />
          {t('notify.browser')}
        </label>
        {denied && prefs.browser ? <p class="muted">{t('notify.browserDenied')}</p> : null}
      </div>
    </details>
  );
}

/** A bell drawn inline (servers and kiosks often have no emoji font); struck through when muted. */
function BellIcon({ muted }: { muted: boolean }) {
  return (
    <svg
      width="18"
      height="18"
      viewBox="0 0 24 24"
      aria-hidden="true"
      fill="none"
      stroke="currentColor"
      stroke-width="2"
    >
      <path d="M6 16V11a6 6 0 0 1 12 0v5l2 2H4z" />
      <path d="M10 20a2 2 0 0 0 4 0" />
      {muted ? <path d="M3 3l18 18" /> : null}
    </svg>
  );
}
