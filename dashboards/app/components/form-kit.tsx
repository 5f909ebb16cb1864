import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { useApp } from '../context.ts';
import { fieldHintKey } from '../i18n/fleet-text.ts';
import { ApiError, type FieldIssue } from '../lib/api.ts';

/** What a refused save left to show: each field's message, and the rest for the form as a whole. */
export interface FormErrors {
  fields: Record<string, string>;
  form: string | undefined;
}

const NONE: FormErrors = { fields: {}, form: undefined };

/**
 * The server's refusal of a form, in the reader's language, placed next to its fields. A field
 * issue the server did not code (a schema's English sentence) reads, outside English, as the field's
 * own hint from fleet-text.ts; `known` lists the fields the form shows (others go to the form).
 */
export function useFormErrors(known: readonly string[]) {
  const { t, locale } = useApp();
  const [errors, setErrors] = useState<FormErrors>(NONE);
  const textOf = (issue: FieldIssue) =>
    issue.coded || locale === 'en' ? issue.text : t(fieldHintKey(issue.path));
  return {
    errors,
    clear: () => setErrors(NONE),
    fail(failure: unknown) {
      if (!(failure instanceof ApiError)) {
        setErrors({ fields: {}, form: failure instanceof Error ? failure.message : String(failure) });
        return;
      }
      const fields: Record<string, string> = {};
      const rest: string[] = [];
      for (const issue of failure.issues) {
        const path = known.find((k) => issue.path === k || issue.path.startsWith(`${k}.`));
        if (path && !fields[path]) fields[path] = textOf(issue);
        else rest.push(issue.path ? `${issue.path}: ${textOf(issue)}` : textOf(issue));
      }
      const named = failure.params.field;
      if (failure.issues.length === 0 && typeof named === 'string') {
        const path = known.find((k) => named === k || named.startsWith(`${k}.`));
        if (path) {
          // The server's sentence leads with the field ("id: customer acme exists already").
          setErrors({ fields: { [path]: failure.message.replace(/^[\w.]+: /, '') }, form: undefined });
          return;
        }
      }
      // A coded refusal that names no field (409 "still has sites") is the form's own message.
      const form =
        failure.issues.length === 0 ? failure.message : rest.length > 0 ? rest.join('; ') : undefined;
      setErrors({ fields, form });
    },
  };
}

interface FieldProps {
  id: string;
  label: ComponentChildren;
  error?: string | undefined;
  hint?: ComponentChildren;
  wide?: boolean;
  full?: boolean;
  children: ComponentChildren;
}

/** A labelled control in a .form-grid, the server's word on it underneath. */
export function Field({ id, label, error, hint, wide, full, children }: FieldProps) {
  return (
    <span class={`field${wide ? ' wide' : ''}${full ? ' full' : ''}`} data-field={id}>
      <label for={id}>{label}</label>
      {children}
      {hint ? <small class="muted">{hint}</small> : null}
      {error ? (
        <small class="error field-error" id={`${id}-error`} role="alert">
          {error}
        </small>
      ) : null}
    </span>
  );
}

interface InputProps {
  id: string;
  label: ComponentChildren;
  value: string;
  onInput: (value: string) => void;
  error?: string | undefined;
  hint?: ComponentChildren;
  type?: 'text' | 'number' | 'date' | 'email' | 'tel';
  required?: boolean;
  wide?: boolean;
  full?: boolean;
  placeholder?: string;
  step?: string;
  disabled?: boolean;
}

/** A labelled input; its error, when there is one, is tied to it for screen readers. */
export function InputField(props: InputProps) {
  const { id, value, onInput, type = 'text', required, placeholder, step, disabled, ...field } = props;
  return (
    <Field id={id} {...field}>
      <input
        id={id}
        type={type}
        value={value}
        required={required}
        placeholder={placeholder}
        step={step}
        disabled={disabled}
        aria-invalid={field.error ? 'true' : undefined}
        aria-describedby={field.error ? `${id}-error` : undefined}
        onInput={(event) => onInput(event.currentTarget.value)}
      />
    </Field>
  );
}

/** A yes/no choice as a checkbox with its label beside it, a row of its own in a .form-grid. */
export function CheckField({
  id,
  label,
  checked,
  onChange,
}: {
  id: string;
  label: ComponentChildren;
  checked: boolean;
  onChange: (checked: boolean) => void;
}) {
  return (
    <span class="field full check-field">
      <label for={id}>
        <input
          id={id}
          type="checkbox"
          checked={checked}
          onChange={(e) => onChange(e.currentTarget.checked)}
        />
        {label}
      </label>
    </span>
  );
}

/** A number typed in a form: undefined when empty, NaN when not a number (the server names it). */
export function numberOf(text: string): number | undefined {
  const trimmed = text.trim();
  return trimmed === '' ? undefined : Number(trimmed);
}
