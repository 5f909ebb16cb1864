import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { useApp } from '../../context.ts';

/** What a section shows: its list, or the form of a new or an existing row. */
export type Editing = { kind: 'list' } | { kind: 'new' } | { kind: 'edit'; id: string };

/** A section's list/form state, the last notice (saved, retired) and the list's refusal. */
export function useSection() {
  const [editing, setEditing] = useState<Editing>({ kind: 'list' });
  const [notice, setNotice] = useState<string | undefined>();
  const [error, setError] = useState<string | undefined>();
  return { editing, setEditing, notice, setNotice, error, setError };
}

/** The head of a section: its notice or refusal, and the button that opens a new row's form. */
export function SectionHead({
  notice,
  error,
  onNew,
  newLabel,
}: {
  notice: string | undefined;
  error: string | undefined;
  onNew: (() => void) | undefined;
  newLabel: string;
}) {
  return (
    <div class="section-head">
      {onNew ? (
        <button type="button" class="new-row" onClick={onNew}>
          {newLabel}
        </button>
      ) : null}
      {notice ? (
        <p class="ok" role="status">
          {notice}
        </p>
      ) : null}
      {error ? (
        <p class="error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** A form of a section: heading, fields, the refusal of the whole form, save and cancel. */
export function FleetForm({
  id,
  title,
  formError,
  busy,
  onSubmit,
  onCancel,
  children,
}: {
  id: string;
  title: string;
  formError: string | undefined;
  busy: boolean;
  onSubmit: () => void;
  onCancel: () => void;
  children: ComponentChildren;
}) {
  const { t } = useApp();
  return (
    <form
      id={id}
      class="fleet-form"
      noValidate
      aria-labelledby={`${id}-title`}
      onSubmit={(event) => {
        event.preventDefault();
        onSubmit();
      }}
    >
      <h2 id={`${id}-title`}>{title}</h2>
      {children}
      {formError ? (
        <p class="error" role="alert">
          {formError}
        </p>
      ) : null}
      <div class="actions">
        <button type="submit" disabled={busy}>
          {t('fleet.save')}
        </button>
        <button type="button" class="ghost" onClick={onCancel}>
          {t('fleet.cancel')}
        </button>
      </div>
    </form>
  );
}

/** Runs a save: busy while it runs, the refusal to `fail`, `done` after. */
export function useSave(fail: (failure: unknown) => void, clear: () => void) {
  const [busy, setBusy] = useState(false);
  const run = async (save: () => Promise<void>) => {
    setBusy(true);
    clear();
    try {
      await save();
    } catch (failure) {
      fail(failure);
    } finally {
      setBusy(false);
    }
  };
  return { busy, run };
}

/** Text of an optional field: undefined when empty (the schema's default applies). */
export const optional = (text: string): string | undefined => (text.trim() === '' ? undefined : text.trim());
