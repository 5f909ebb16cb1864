import { useState } from 'preact/hooks';
import { translator } from '../i18n/translate.ts';
import { signIn } from '../lib/api.ts';
import type { Locale } from '../lib/format.ts';
import type { Session } from '../lib/types.ts';

interface SignInProps {
  locale: Locale;
  onLocale: (locale: Locale) => void;
  onSignedIn: (session: Session) => void;
}

export function SignIn({ locale, onLocale, onSignedIn }: SignInProps) {
  const t = translator(locale);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      onSignedIn(await signIn(username, password, locale));
    } catch (failure) {
      setError((failure as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <main class="sign-in">
      <form onSubmit={submit} aria-labelledby="sign-in-title">
        <h1 id="sign-in-title">
          {t('app.title')} · {t('auth.title')}
        </h1>
        <label>
          {t('auth.username')}
          <input
            name="username"
            autocomplete="username"
            required
            value={username}
            onInput={(e) => setUsername(e.currentTarget.value)}
          />
        </label>
        <label>
          {t('auth.password')}
          <input
            name="password"
            type="password"
            autocomplete="current-password"
            required
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
        </label>
        {error ? (
          <p class="error" role="alert">
            {t('auth.failed', { error })}
          </p>
        ) : null}
        <div class="row">
          <button type="submit" disabled={busy}>
            {t('auth.submit')}
          </button>
          <button
            type="button"
            class="ghost"
            aria-label={t('lang.switchLabel')}
            onClick={() => onLocale(locale === 'en' ? 'zh-CN' : 'en')}
          >
            {t('lang.switch')}
          </button>
        </div>
      </form>
    </main>
  );
}
