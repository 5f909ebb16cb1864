import { useState } from 'preact/hooks';
import type { AccountView } from '../../../../core/api/accounts.ts';
import { contracts } from '../../../../core/api/index.ts';
import { passwordProblem } from '../../../../core/auth/password-rules.ts';
import { ROLES, type Role } from '../../../../core/auth/roles.ts';
import { render } from '../../../../core/i18n/render.ts';
import { SelectField } from '../../components/select-field.tsx';
import { useApp } from '../../context.ts';
import { parseSites } from './account-create-form.tsx';

interface Props {
  account: AccountView;
  customers: readonly { id: string; name: string }[];
  onChanged: (account: AccountView) => void;
  onClose: () => void;
}

/** One account's role, scope and name (PUT /api/accounts/:username) and a new password. */
export function AccountEditor({ account, customers, onChanged, onClose }: Props) {
  const { t, api, locale } = useApp();
  const [role, setRole] = useState<Role>(account.role);
  const [customer, setCustomer] = useState(account.customer ?? customers[0]?.id ?? '');
  const [sites, setSites] = useState((account.sites ?? []).join(', '));
  const [displayName, setDisplayName] = useState(account.displayName);
  const [password, setPassword] = useState('');
  const [note, setNote] = useState<{ error?: string; done?: string }>({});
  const params = { username: account.username };

  const act = async (run: () => Promise<{ account: AccountView }>, done: string) => {
    setNote({});
    try {
      onChanged((await run()).account);
      setNote({ done });
    } catch (failure) {
      setNote({ error: (failure as Error).message });
    }
  };
  const save = (event: Event) => {
    event.preventDefault();
    void act(
      () =>
        api.call(contracts.changeAccount, {
          params,
          body: {
            role,
            displayName: displayName.trim(),
            ...(role === 'customer' ? { customer } : { customer: null, sites: parseSites(sites) }),
          },
        }),
      t('accounts.saved'),
    );
  };
  const setNewPassword = (event: Event) => {
    event.preventDefault();
    const problem = passwordProblem(password, account.username);
    if (problem) {
      setNote({ error: render(locale, problem, {}) });
      return;
    }
    void act(async () => {
      const answer = await api.call(contracts.resetAccountPassword, { params, body: { password } });
      setPassword('');
      return answer;
    }, t('accounts.passwordSet'));
  };

  return (
    <section class="panel" id="account-editor" aria-labelledby="account-editor-heading">
      <h2 id="account-editor-heading">{t('accounts.editing', { username: account.username })}</h2>
      <form onSubmit={save}>
        <div class="form-grid">
          <span class="field">
            <label for="ae-display-name">{t('accounts.displayName')}</label>
            <input
              id="ae-display-name"
              maxLength={100}
              value={displayName}
              onInput={(e) => setDisplayName(e.currentTarget.value)}
            />
          </span>
          <SelectField
            id="ae-role"
            label={t('accounts.role')}
            value={role}
            choices={ROLES.map((r) => ({ value: r, label: t(`role.${r}`) }))}
            onChange={(value) => setRole(value as Role)}
          />
          {role === 'customer' ? (
            <SelectField
              id="ae-customer"
              label={t('accounts.customer')}
              value={customer}
              choices={customers.map((c) => ({ value: c.id, label: c.id }))}
              onChange={setCustomer}
            />
          ) : (
            <span class="field">
              <label for="ae-sites">{t('accounts.sites')}</label>
              <input id="ae-sites" value={sites} onInput={(e) => setSites(e.currentTarget.value)} />
            </span>
          )}
        </div>
        <div class="row">
          <button type="submit">{t('accounts.save')}</button>
        </div>
      </form>
      <form onSubmit={setNewPassword}>
        <div class="form-grid">
          <span class="field wide">
            <label for="ae-password">{t('accounts.newPassword')}</label>
            <input
              id="ae-password"
              type="password"
              required
              autoComplete="new-password"
              value={password}
              onInput={(e) => setPassword(e.currentTarget.value)}
            />
            <small class="muted">{t('accounts.passwordRule')}</small>
          </span>
        </div>
        <div class="row">
          <button type="submit">{t('accounts.resetPassword')}</button>
          <button type="button" class="ghost" onClick={onClose}>
            {t('accounts.close')}
          </button>
        </div>
      </form>
      {note.error ? (
        <p class="error" role="alert">
          {t('accounts.failedAction', { error: note.error })}
        </p>
      ) : null}
      {note.done ? (
        <p class="muted" role="status">
          {note.done}
        </p>
      ) : null}
    </section>
  );
}
