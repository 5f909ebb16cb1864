import type { ComponentChildren } from 'preact';

/** One option of a select: its value, its text, and optionally a tooltip or a disabled placeholder. */
export interface Choice {
  value: string;
  label: string;
  title?: string;
  disabled?: boolean;
}

interface SelectProps {
  id: string;
  value: string;
  choices: readonly Choice[];
  onChange: (value: string) => void;
  required?: boolean;
  disabled?: boolean;
}

/** A select over `choices`, reporting the chosen value. */
export function Select({ id, value, choices, onChange, required, disabled }: SelectProps) {
  return (
    <select
      id={id}
      value={value}
      required={required}
      disabled={disabled}
      onChange={(e) => onChange(e.currentTarget.value)}
    >
      {choices.map((c) => (
        <option key={c.value} value={c.value} title={c.title} disabled={c.disabled}>
          {c.label}
        </option>
      ))}
    </select>
  );
}

/** A labelled select in a form grid or filter bar (`wide` spans two columns). */
export function SelectField(props: SelectProps & { label: ComponentChildren; wide?: boolean }) {
  const { label, wide, ...select } = props;
  return (
    <span class={wide ? 'field wide' : 'field'}>
      <label for={select.id}>{label}</label>
      <Select {...select} />
    </span>
  );
}
