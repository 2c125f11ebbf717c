/** A labelled form field with its description and error wired up through aria-describedby. */
import type { ReactElement, ReactNode } from 'react';

/** What the control inside a Field must spread onto itself. */
export interface FieldControlProps {
  id: string;
  'aria-invalid': true | undefined;
  'aria-describedby': string | undefined;
}

export interface FieldProps {
  id: string;
  label: string;
  description?: ReactNode;
  error?: string | undefined;
  children(control: FieldControlProps): ReactNode;
}

/** Label above, control, then the error (if any) and the description. */
export function Field({ id, label, description, error, children }: FieldProps): ReactElement {
  const describedBy = [error ? `${id}-error` : null, description ? `${id}-description` : null]
    .filter(Boolean)
    .join(' ');
  return (
    <div className="field">
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      {children({
        id,
        'aria-invalid': error ? true : undefined,
        'aria-describedby': describedBy || undefined,
      })}
      {error && (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      )}
      {description && (
        <p id={`${id}-description`} className="field-hint">
          {description}
        </p>
      )}
    </div>
  );
}
