/** A labelled form field with its description and error wired up through aria-describedby. */
import type {
  InputHTMLAttributes,
  ReactElement,
  ReactNode,
  SelectHTMLAttributes,
  TextareaHTMLAttributes,
} from 'react';

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

/** The Field's own props and the control's attributes, with a change handler that gets the new value. */
type ControlFieldProps<Attributes, Value, Changed = string> = Omit<FieldProps, 'children'> &
  Omit<Attributes, 'id' | 'value' | 'onChange' | 'children'> & {
    value: Value;
    onChange(value: Changed): void;
  };

/** A Field around one <input>: every other prop (type, min, placeholder, className…) goes on the input. */
export function InputField({
  id,
  label,
  description,
  error,
  onChange,
  ...input
}: ControlFieldProps<InputHTMLAttributes<HTMLInputElement>, string | number>): ReactElement {
  return (
    <Field id={id} label={label} description={description} error={error}>
      {(control) => <input {...control} {...input} onChange={(e) => onChange(e.target.value)} />}
    </Field>
  );
}

/** The same around one <textarea>. */
export function TextAreaField({
  id,
  label,
  description,
  error,
  onChange,
  ...textarea
}: ControlFieldProps<TextareaHTMLAttributes<HTMLTextAreaElement>, string>): ReactElement {
  return (
    <Field id={id} label={label} description={description} error={error}>
      {(control) => <textarea {...control} {...textarea} onChange={(e) => onChange(e.target.value)} />}
    </Field>
  );
}

/** The same around one <select>, its <option>s as children: the value handed back is one of theirs. */
export function SelectField<Value extends string>({
  id,
  label,
  description,
  error,
  onChange,
  children,
  ...select
}: ControlFieldProps<SelectHTMLAttributes<HTMLSelectElement>, Value, Value> & {
  children: ReactNode;
}): ReactElement {
  return (
    <Field id={id} label={label} description={description} error={error}>
      {(control) => (
        <select {...control} {...select} onChange={(e) => onChange(e.target.value as Value)}>
          {children}
        </select>
      )}
    </Field>
  );
}
