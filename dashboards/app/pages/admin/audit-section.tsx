import { useState } from 'preact/hooks';
import { contracts } from '../../../../core/api/index.ts';
import { useApp, useLoad } from '../../context.ts';
import { auditActionKey, auditTargetParts } from '../../i18n/admin-text.ts';
import { formatTime } from '../../lib/format.ts';

const TIME_ZONE = 'Asia/Shanghai';

/** The audit log, newest first: who did what to the fleet and its accounts, and what came of it. */
export function AuditSection() {
  const { t, api, locale } = useApp();
  const [action, setAction] = useState('');
  const answer = useLoad(
    () => api.call(contracts.listAudit, { query: { action: action || undefined, limit: 200 } }),
    [action],
  );
  const entries = answer.data?.entries ?? [];
  return (
    <div>
      <div class="filters">
        <label>
          {t('admin.audit.filterAction')}
          <input
            id="audit-action"
            value={action}
            placeholder="command."
            onChange={(event) => setAction((event.target as HTMLInputElement).value.trim())}
          />
        </label>
      </div>
      {answer.error ? <p class="error">{t('common.error', { error: answer.error })}</p> : null}
      {answer.data && entries.length === 0 ? <p class="muted">{t('admin.audit.empty')}</p> : null}
      {entries.length ? (
        <div class="table-wrap">
          <table class="audit-table">
            <thead>
              <tr>
                <th>{t('admin.audit.when')}</th>
                <th>{t('admin.audit.who')}</th>
                <th>{t('admin.audit.action')}</th>
                <th>{t('admin.audit.target')}</th>
                <th>{t('admin.audit.result')}</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((entry) => (
                <tr key={entry.id} data-result={entry.result}>
                  <td>{formatTime(entry.at, TIME_ZONE, locale)}</td>
                  <td>{entry.actor}</td>
                  <td>
                    <ActionName action={entry.action} />
                  </td>
                  <td>
                    <TargetName target={entry.target} />
                  </td>
                  <td>{t(`admin.audit.result.${entry.result}`)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </div>
  );
}

function ActionName({ action }: { action: string }) {
  const { t } = useApp();
  const key = auditActionKey(action);
  return key ? <span title={action}>{t(key)}</span> : <code>{action}</code>;
}

function TargetName({ target }: { target: string }) {
  const { t } = useApp();
  const { kind, rest } = auditTargetParts(target);
  return (
    <span title={target}>
      {kind ? `${t(kind)} ` : ''}
      <code>{rest}</code>
    </span>
  );
}
