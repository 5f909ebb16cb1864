import type { z } from 'zod';
import type { chargeSchema } from '../../../core/api/parts.ts';
import { useApp } from '../context.ts';

type Charge = z.output<typeof chargeSchema>;
const yuan = (cents: number) => (cents / 100).toFixed(2);

/** A charge's lines: part, quantity, amount and why it is free or charged. */
export function ChargeTable({ charge, names }: { charge: Charge; names?: Map<string, string> }) {
  const { t } = useApp();
  return (
    <table class="charge-table" data-total={charge.totalCents}>
      <thead>
        <tr>
          <th scope="col">{t('record.part')}</th>
          <th scope="col">{t('record.quantity')}</th>
          <th scope="col">{t('record.charge')}</th>
        </tr>
      </thead>
      <tbody>
        {charge.lines.map((line) => (
          <tr key={line.part} data-reason={line.reason}>
            <td>
              {names?.get(line.part) ?? line.part}
              <div class="muted small-text">{t(`record.reason.${line.reason}`)}</div>
            </td>
            <td class="num">{line.quantity}</td>
            <td class="num">{line.charged ? yuan(line.amountCents) : t('record.free')}</td>
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row" colSpan={2}>
            {t('record.quoteTotal', { total: yuan(charge.totalCents) })}
          </th>
          <td />
        </tr>
      </tfoot>
    </table>
  );
}
