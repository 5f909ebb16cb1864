import { isFaultTicket, RESPONSIBILITIES, type Responsibility } from '../../../../core/quality/vocabulary.ts';
import { useApp } from '../../context.ts';
import { Select } from '../select-field.tsx';

export interface CloseRecordValue {
  responsibility: Responsibility | '';
  correctiveAction: string;
  preventiveAction: string;
}

export const EMPTY_CLOSE_RECORD: CloseRecordValue = {
  responsibility: '',
  correctiveAction: '',
  preventiveAction: '',
};

/** The resolve body's quality fields: only a fault ticket sends them. */
export function closeRecordBody(source: string, value: CloseRecordValue): Record<string, string> {
  if (!isFaultTicket(source)) return {};
  return {
    ...(value.responsibility ? { responsibility: value.responsibility } : {}),
    ...(value.correctiveAction.trim() ? { correctiveAction: value.correctiveAction } : {}),
    ...(value.preventiveAction.trim() ? { preventiveAction: value.preventiveAction } : {}),
  };
}

/** Responsibility, corrective and preventive action in the resolve form of a fault ticket. */
export function CloseRecordFields(props: {
  idPrefix: string;
  source: string;
  value: CloseRecordValue;
  onChange: (value: CloseRecordValue) => void;
}) {
  const { t } = useApp();
  const { idPrefix, value, onChange } = props;
  if (!isFaultTicket(props.source)) return null;
  const id = (name: string) => `${idPrefix}-${name}`;
  return (
    <fieldset class="close-record" data-field="close-record">
      <legend>{t('quality.record')}</legend>
      <p class="muted small-text">{t('quality.closeHint')}</p>
      <label for={id('resp')}>{t('quality.responsibility')}</label>
      <Select
        id={id('resp')}
        required
        value={value.responsibility}
        choices={[
          { value: '', label: '—', disabled: true },
          ...RESPONSIBILITIES.map((r) => ({ value: r, label: t(`quality.responsibility.${r}`) })),
        ]}
        onChange={(r) => onChange({ ...value, responsibility: r as Responsibility })}
      />
      <label for={id('corrective')}>{t('quality.corrective')}</label>
      <textarea
        id={id('corrective')}
        required
        value={value.correctiveAction}
        onInput={(e) => onChange({ ...value, correctiveAction: e.currentTarget.value })}
      />
      <label for={id('preventive')}>{t('quality.preventive')}</label>
      <textarea
        id={id('preventive')}
        required
        value={value.preventiveAction}
        onInput={(e) => onChange({ ...value, preventiveAction: e.currentTarget.value })}
      />
    </fieldset>
  );
}
