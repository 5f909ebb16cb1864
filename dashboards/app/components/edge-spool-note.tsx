import type { EdgeSpool } from '../../../core/telemetry/payloads.ts';
import { useApp } from '../context.ts';

/** Beside an edge on the engineering page: why its spool is skipped (nothing while it is ok). */
export function EdgeSpoolNote({ spool }: { spool: EdgeSpool | undefined }) {
  const { t } = useApp();
  if (!spool || spool.state === 'ok') return null;
  return (
    <>
      {' '}
      ·{' '}
      <span class="edge-spool" role="note" data-state={spool.state}>
        {t(`edgeDisk.spool.${spool.state}`, { code: spool.code ?? '?' })}
      </span>
    </>
  );
}
