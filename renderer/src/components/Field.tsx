import { cloneElement, useId, type ReactElement } from 'react';

/**
 * A labelled form control with its inline error and help text, wired with aria-invalid and
 * aria-describedby so a screen reader reads the error with the field.
 */
export function Field({ label, error, help, children }: { label: string; error?: string | undefined; help?: string; children: ReactElement<Record<string, unknown>> }) {
  const id = useId();
  const errorId = `${id}-error`;
  const helpId = `${id}-help`;
  const describedBy = [error ? errorId : null, help ? helpId : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className={error ? 'field field-invalid' : 'field'}>
      <label htmlFor={id}>{label}</label>
      {cloneElement(children, { id, 'aria-invalid': error ? true : undefined, 'aria-describedby': describedBy })}
      {help ? (
        <span id={helpId} className="field-help">
          {help}
        </span>
      ) : null}
      {error ? (
        <span id={errorId} className="field-error">
          {error}
        </span>
      ) : null}
    </div>
  );
}
