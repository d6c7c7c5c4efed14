import type { InputHTMLAttributes, ReactNode } from "react";
import { forwardRef, useId } from "react";
import type { FieldError } from "react-hook-form";
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
