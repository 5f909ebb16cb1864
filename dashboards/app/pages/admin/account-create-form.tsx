import { useState } from 'preact/hooks';
import type { AccountView } from '../../../../core/api/accounts.ts';
import { contracts } from '../../../../core/api/index.ts';
import { passwordProblem } from '../../../../core/auth/password-rules.ts';
import { ROLES, type Role } from '../../../../core/auth/roles.ts';
import { render } from '../../../../core/i18n/render.ts';
import { SelectField } from '../../components/select-field.tsx';
import { useApp } from '../../context.ts';

/** `east, north` to ['east', 'north']; empty: null (every site). */
export function parseSites(text: string): string[] | null {
  const sites = text
    .split(/[,，\s]+/)
    .map((s) => s.trim())
    .filter(Boolean);
  return sites.length ? sites : null;
}

interface Props {
  customers: readonly { id: string; name: string }[];
  onCreated: (account: AccountView) => void;
}

/** A new account (POST /api/accounts); the password rule is checked here first, then by the server. */
export function AccountCreateForm({ customers, onCreated }: Props) {
  const { t, api, locale } = useApp();
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [role, setRole] = useState<Role>('operator');
  const [customer, setCustomer] = useState('');
  const [sites, setSites] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const chosenCustomer = customer || customers[0]?.id || '';

  const submit = async (event: Event) => {
    event.preventDefault();
    const problem = passwordProblem(password, username.trim());
    if (problem) {
      setError(render(locale, problem, {}));
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      const answer = await api.call(contracts.createAccount, {
        body: {
          username: username.trim(),
          password,
          role,
          displayName: displayName.trim(),
          ...(role === 'customer' ? { customer: chosenCustomer } : { sites: parseSites(sites) }),
        },
      });
      setUsername('');
      setDisplayName('');
      setPassword('');
      setSites('');
      onCreated(answer.account);
    } catch (failure) {
      setError((failure as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form id="account-new" class="panel" onSubmit={submit} aria-labelledby="account-new-heading">
      <h2 id="account-new-heading">{t('accounts.new')}</h2>
      <div class="form-grid">
        <span class="field">
          <label for="acc-username">{t('accounts.username')}</label>
          <input
            id="acc-username"
            required
            maxLength={64}
            pattern="[A-Za-z0-9_.\-]{1,64}"
            autoComplete="off"
            value={username}
            onInput={(e) => setUsername(e.currentTarget.value)}
          />
        </span>
        <span class="field">
          <label for="acc-display-name">{t('accounts.displayName')}</label>
          <input
            id="acc-display-name"
            maxLength={100}
            value={displayName}
            onInput={(e) => setDisplayName(e.currentTarget.value)}
          />
        </span>
        <SelectField
          id="acc-role"
          label={t('accounts.role')}
          value={role}
          choices={ROLES.map((r) => ({ value: r, label: t(`role.${r}`) }))}
          onChange={(value) => setRole(value as Role)}
        />
        {role === 'customer' ? (
          <SelectField
            id="acc-customer"
            required
            label={t('accounts.customer')}
            value={chosenCustomer}
            choices={customers.map((c) => ({
              value: c.id,
              label: c.name && c.name !== c.id ? `${c.id} · ${c.name}` : c.id,
            }))}
            onChange={setCustomer}
          />
        ) : (
          <span class="field">
            <label for="acc-sites">{t('accounts.sites')}</label>
            <input id="acc-sites" value={sites} onInput={(e) => setSites(e.currentTarget.value)} />
          </span>
        )}
        <span class="field wide">
          <label for="acc-password">{t('accounts.password')}</label>
          <input
            id="acc-password"
            type="password"
            required
            autoComplete="new-password"
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
          <small class="muted">{t('accounts.passwordRule')}</small>
        </span>
      </div>
      {error ? (
        <p class="error" role="alert">
          {t('accounts.failedAction', { error })}
        </p>
      ) : null}
      <div class="row">
        <button type="submit" disabled={busy}>
          {t('accounts.create')}
        </button>
      </div>
    </form>
  );
}
