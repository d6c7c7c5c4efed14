import type { FormEvent, InputHTMLAttributes, ReactNode } from "react";
import { forwardRef, useId } from "react";
import { useSubmit } from "@remix-run/react";
import type { FieldError, FieldValues, UseFormHandleSubmit } from "react-hook-form";
import { isMessageKey, useT } from "~/i18n/i18n";

/** Schema messages are catalog keys, so the same zod schema gives Dutch or English errors. */
export function useErrorText(): (error: { message?: string } | string | undefined) => string | undefined {
  const t = useT();
  return (error) => {
    const message = typeof error === "string" ? error : error?.message;
    if (!message) return undefined;
    return isMessageKey(message) ? t(message) : message;
  };
}

type FieldProps = InputHTMLAttributes<HTMLInputElement> & {
  label: string;
  name: string;
  error?: FieldError | { message?: string } | string;
  hint?: ReactNode;
};

/**
 * A labelled input with its hint and its error right next to it (aria-describedby, aria-invalid).
 * Forwards its ref so react-hook-form's register() can read the value.
 */
export const Field = forwardRef<HTMLInputElement, FieldProps>(function Field({ label, name, error, hint, ...input }, ref) {
  const id = useId();
  const errorText = useErrorText()(error);
  const describedBy = [hint ? `${id}-hint` : null, errorText ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {hint ? (
        <span id={`${id}-hint`} className="muted small">
          {hint}
        </span>
      ) : null}
      <input ref={ref} id={id} name={name} aria-invalid={errorText ? true : undefined} aria-describedby={describedBy} {...input} />
      {errorText ? (
        <span id={`${id}-error`} className="error" role="alert">
          {errorText}
        </span>
      ) : null}
    </div>
  );
});

export function FormError({ message }: { message?: string }) {
  const text = useErrorText()(message);
  if (!text) return null;
  return (
    <p className="form-error" role="alert">
      {text}
    </p>
  );
}

type TextAreaFieldProps = React.TextareaHTMLAttributes<HTMLTextAreaElement> & {
  label: string;
  name: string;
  error?: FieldError | { message?: string } | string;
  hint?: ReactNode;
};

/** A labelled textarea with hint and error, like Field. */
export const TextAreaField = forwardRef<HTMLTextAreaElement, TextAreaFieldProps>(function TextAreaField({ label, name, error, hint, ...input }, ref) {
  const id = useId();
  const errorText = useErrorText()(error);
  const describedBy = [hint ? `${id}-hint` : null, errorText ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {hint ? (
        <span id={`${id}-hint`} className="muted small">
          {hint}
        </span>
      ) : null}
      <textarea ref={ref} id={id} name={name} rows={3} aria-invalid={errorText ? true : undefined} aria-describedby={describedBy} {...input} />
      {errorText ? (
        <span id={`${id}-error`} className="error" role="alert">
          {errorText}
        </span>
      ) : null}
    </div>
  );
});

type SelectFieldProps = React.SelectHTMLAttributes<HTMLSelectElement> & {
  label: string;
  name: string;
  options: { value: string; label: string }[];
  error?: FieldError | { message?: string } | string;
};

export const SelectField = forwardRef<HTMLSelectElement, SelectFieldProps>(function SelectField({ label, name, options, error, ...input }, ref) {
  const id = useId();
  const errorText = useErrorText()(error);
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select ref={ref} id={id} name={name} aria-invalid={errorText ? true : undefined} aria-describedby={errorText ? `${id}-error` : undefined} {...input}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      {errorText ? (
        <span id={`${id}-error`} className="error" role="alert">
          {errorText}
        </span>
      ) : null}
    </div>
  );
});

/** A group of checkboxes sharing one name (posted as repeated fields), in a fieldset with its legend and error. */
export function CheckboxGroup({
  legend,
  error,
  options,
  inputProps,
}: {
  legend: string;
  error?: FieldError | { message?: string } | string;
  options: { value: string; label: ReactNode }[];
  /** react-hook-form's register(name) (or name/defaultChecked handling) for every box */
  inputProps: (value: string) => React.InputHTMLAttributes<HTMLInputElement> & { ref?: React.Ref<HTMLInputElement> };
}) {
  const id = useId();
  const errorText = useErrorText()(error);
  return (
    <fieldset className="checkbox-group" aria-describedby={errorText ? `${id}-error` : undefined}>
      <legend>{legend}</legend>
      <div className="checkbox-grid">
        {options.map((o) => (
          <label key={o.value} className="checkbox">
            <input type="checkbox" value={o.value} {...inputProps(o.value)} />
            <span>{o.label}</span>
          </label>
        ))}
      </div>
      {errorText ? (
        <span id={`${id}-error`} className="error" role="alert">
          {errorText}
        </span>
      ) : null}
    </fieldset>
  );
}

/**
 * The submit handler of a form validated in the browser with react-hook-form + zod: on valid input
 * it posts the real form element (repeated fields and files included), so the request is the same
 * as without JavaScript and one server parser serves both.
 */
export function useValidatedSubmit<T extends FieldValues>(handleSubmit: UseFormHandleSubmit<T>, options: { encType?: "multipart/form-data" } = {}) {
  const submit = useSubmit();
  return (event: FormEvent<HTMLFormElement>) => {
    const form = event.currentTarget;
    event.preventDefault();
    void handleSubmit(() => submit(form, { method: "post", ...options }))(event);
  };
}
