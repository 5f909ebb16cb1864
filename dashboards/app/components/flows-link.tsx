import { useEffect, useState } from 'preact/hooks';
import { useApp } from '../context.ts';

/**
 * A link to the Node-RED editor (/flows), shown only when the server runs it (a server started with
 * --no-flows answers 404 there) and to those it lets in: engineers and admins.
 */
export function FlowsLink() {
  const { t, session } = useApp();
  const [running, setRunning] = useState(false);
  const allowed = session.role === 'engineer' || session.role === 'admin';
  useEffect(() => {
    if (!allowed) return;
    const controller = new AbortController();
    fetch('/flows/', { method: 'HEAD', signal: controller.signal })
      .then((response) => setRunning(response.ok))
      .catch(() => setRunning(false));
    return () => controller.abort();
  }, [allowed]);
  if (!allowed || !running) return null;
  return (
    <p class="flows-link">
      <a href="/flows/" target="_blank" rel="noopener">
        {t('engineer.flowsEditor')}
      </a>{' '}
      <span class="muted">{t('engineer.flowsHint')}</span>
    </p>
  );
}
