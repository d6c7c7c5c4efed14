/**
 * Form pieces of the end-of-contract pages (termination, the staff and portal choice, task evidence,
 * withdrawal): a field's error line, a group of radio buttons with optional hints, and the
 * confirmation checkbox that a choice or a withdrawal needs. They take react-hook-form's
 * `register(name)` so the same markup posts without JavaScript.
 */
import type { ReactNode } from "react";
import type { UseFormRegisterReturn } from "react-hook-form";

/** The error next to a field (announced), referenced by the field's aria-describedby through `id`. */
export function FieldErrorText({ id, error }: { id?: string; error: string | undefined }) {
  if (!error) return null;
  return (
    <span id={id} className="error" role="alert">
      {error}
    </span>
  );
}

export type RadioOption = { value: string; label: ReactNode; hint?: ReactNode };

/**
 * A fieldset of radio buttons with its legend and error. An option with a hint is wrapped with the
 * hint below it (`<hintPrefix>-<value>-hint`, referenced by the radio button).
 */
export function RadioFieldset({
  legend,
  options,
  inputProps,
  checked,
  error,
  errorId,
  hintPrefix = "radio",
  strongLabels = false,
}: {
  legend: string;
  options: readonly RadioOption[];
  inputProps: UseFormRegisterReturn;
  /** the value checked when the page renders (the typed or default value) */
  checked?: string;
  error?: string;
  errorId: string;
  hintPrefix?: string;
  strongLabels?: boolean;
}) {
  const radio = (o: RadioOption, hintId?: string) => (
    <label key={hintId ? undefined : o.value} className="checkbox">
      <input type="radio" value={o.value} aria-describedby={hintId} {...inputProps} defaultChecked={checked === undefined ? undefined : checked === o.value} />{" "}
      {strongLabels ? <strong>{o.label}</strong> : <span>{o.label}</span>}
    </label>
  );
  return (
    <fieldset aria-describedby={error ? errorId : undefined}>
      <legend>{legend}</legend>
      {options.map((o) => {
        if (!o.hint) return radio(o);
        const hintId = `${hintPrefix}-${o.value}-hint`;
        return (
          <div key={o.value}>
            {radio(o, hintId)}
            <p id={hintId} className="muted small eoc-radio-hint">
              {o.hint}
            </p>
          </div>
        );
      })}
      <FieldErrorText id={errorId} error={error} />
    </fieldset>
  );
}

/** The "I confirm" checkbox (value "yes") with its error below. */
export function ConfirmCheckbox({ label, inputProps, error }: { label: ReactNode; inputProps: UseFormRegisterReturn; error?: string }) {
  return (
    <>
      <label className="checkbox">
        <input type="checkbox" value="yes" aria-invalid={error ? true : undefined} {...inputProps} /> <span>{label}</span>
      </label>
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
    </>
  );
}
