import { useState } from 'preact/hooks';
import type { AccountView } from '../../../../core/api/accounts.ts';
import { contracts } from '../../../../core/api/index.ts';
import { useApp, useLoad, useNow } from '../../context.ts';
import { formatTime } from '../../lib/format.ts';
import { AccountCreateForm } from './account-create-form.tsx';
import { AccountEditor } from './account-editor.tsx';

const TIME_ZONE = 'Asia/Shanghai';

/** Who may sign in: create, change role and scope, disable and enable, set a password. */
export function AccountsSection() {
  const { t, api, locale, session } = useApp();
  const now = useNow(30_000);
  const list = useLoad(() => api.call(contracts.listAccounts), []);
  const customers = useLoad(() => api.call(contracts.listCustomers), []);
  const [editing, setEditing] = useState<string | undefined>();
  const [message, setMessage] = useState<{ error?: string; done?: string }>({});
  const accounts = list.data?.accounts ?? [];
  const customerList = customers.data?.customers ?? [];
  const edited = accounts.find((a) => a.username === editing);

  const toggle = async (account: AccountView) => {
    setMessage({});
    if (!account.disabled && !window.confirm(t('accounts.confirmDisable', { username: account.username })))
      return;
    try {
      const params = { username: account.username };
      await (account.disabled
        ? api.call(contracts.enableAccount, { params })
        : api.call(contracts.disableAccount, { params }));
      list.reload();
    } catch (failure) {
      setMessage({ error: (failure as Error).message });
    }
  };

  const scopeOf = (account: AccountView) =>
    account.customer
      ? t('accounts.scope.customer', { customer: account.customer })
      : account.sites
        ? account.sites.join(', ')
        : t('accounts.scope.all');
  const stateOf = (account: AccountView) =>
    account.disabled
      ? t('accounts.state.disabled')
      : account.lockedUntil !== null && account.lockedUntil > now
        ? t('accounts.state.locked', { time: formatTime(account.lockedUntil, TIME_ZONE, locale) })
        : t('accounts.state.enabled');

  return (
    <div class="accounts">
      <AccountCreateForm
        customers={customerList}
        onCreated={(account) => {
          setMessage({ done: t('accounts.created', { username: account.username }) });
          list.reload();
        }}
      />
      {message.done ? (
        <p class="muted" role="status">
          {message.done}
        </p>
      ) : null}
      {message.error ? (
        <p class="error" role="alert">
          {t('accounts.failedAction', { error: message.error })}
        </p>
      ) : null}
      {list.error ? <p class="error">{t('common.error', { error: list.error })}</p> : null}
      {list.data && accounts.length === 0 ? <p class="muted">{t('accounts.empty')}</p> : null}
      {edited ? (
        <AccountEditor
          key={edited.username}
          account={edited}
          customers={customerList}
          onChanged={() => list.reload()}
          onClose={() => setEditing(undefined)}
        />
      ) : null}
      {accounts.length ? (
        <div class="table-wrap">
          <table class="accounts-table">
            <thead>
              <tr>
                <th>{t('accounts.username')}</th>
                <th>{t('accounts.role')}</th>
                <th>{t('accounts.scope')}</th>
                <th>{t('accounts.state')}</th>
                <th>{t('accounts.actions')}</th>
                <th>{t('accounts.failed')}</th>
                <th>{t('accounts.lastSignIn')}</th>
              </tr>
            </thead>
            <tbody>
              {accounts.map((account) => (
                <tr key={account.username} data-username={account.username} data-disabled={account.disabled}>
                  <td>
                    {account.username}
                    {account.displayName ? <span class="muted"> · {account.displayName}</span> : null}
                  </td>
                  <td>{t(`role.${account.role}`)}</td>
                  <td>{scopeOf(account)}</td>
                  <td class="account-state">{stateOf(account)}</td>
                  <td>
                    <span class="row">
                      <button type="button" class="ghost" onClick={() => setEditing(account.username)}>
                        {t('accounts.edit')}
                      </button>
                      {account.username === session.username ? null : (
                        <button type="button" class="ghost" onClick={() => void toggle(account)}>
                          {account.disabled ? t('accounts.enable') : t('accounts.disable')}
                        </button>
                      )}
                    </span>
                  </td>
                  <td class="num">{account.failedAttempts}</td>
                  <td>
                    {account.lastSignInAt !== null
                      ? formatTime(account.lastSignInAt, TIME_ZONE, locale)
                      : t('accounts.never')}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </div>
  );
}
