/**
 * The customer's choice at the end of the contract (return, deletion, or return then deletion) as a
 * form: the radio buttons (optionally with a hint each), the confirmation (a choice cannot be changed
 * afterwards) and the submit button. Staff record it on the customer's behalf on the case page, the
 * customer makes it in the portal; each route adds its own hidden fields and parses the post itself
 * with ChoiceFieldsSchema (extended as it needs), the same rules the browser checks here first.
 */
import { zodResolver } from "@hookform/resolvers/zod";
import { Form, useNavigation } from "@remix-run/react";
import type { ReactNode } from "react";
import { useForm } from "react-hook-form";
import { z } from "zod";
import { useT } from "~/i18n/i18n";
import { ConfirmCheckbox, RadioFieldset } from "./contract-form";
import { FormError, useErrorText, useValidatedSubmit } from "./form";

export const CHOICES = ["return", "delete", "return_then_delete"] as const;

/** A checkbox that must be ticked (posted as "yes"). */
export const confirmedField = z.literal("yes", { errorMap: () => ({ message: "contracts.error.confirm_required" }) });

export const ChoiceFieldsSchema = z.object({
  choice: z.enum(CHOICES, { message: "contracts.error.choice_invalid" }),
  confirm: confirmedField,
});
type ChoiceFields = z.infer<typeof ChoiceFieldsSchema>;

export function ContractChoiceForm({
  legend,
  confirmLabel,
  submitLabel,
  errorId,
  allowed = CHOICES,
  withHints = false,
  typed,
  serverErrors,
  className,
  submitClassName,
  children,
}: {
  legend: string;
  confirmLabel: string;
  submitLabel: string;
  /** the id of the choice's error line */
  errorId: string;
  /** the choices offered (in the order of CHOICES) */
  allowed?: readonly string[];
  /** show each choice bold with its explanation below */
  withHints?: boolean;
  /** the choice as last posted */
  typed?: string;
  serverErrors?: Record<string, string>;
  className?: string;
  submitClassName?: string;
  /** what comes first in the form: a heading, the route's hidden fields */
  children?: ReactNode;
}) {
  const t = useT();
  const errorText = useErrorText();
  const navigation = useNavigation();
  const {
    register,
    handleSubmit,
    formState: { errors },
  } = useForm<ChoiceFields>({ resolver: zodResolver(ChoiceFieldsSchema), defaultValues: typed ? { choice: typed as ChoiceFields["choice"] } : undefined });
  const onValidSubmit = useValidatedSubmit(handleSubmit);
  const choiceError = errorText(errors.choice?.message ?? serverErrors?.choice);
  const confirmError = errorText(errors.confirm?.message ?? serverErrors?.confirm);
  return (
    <Form method="post" noValidate onSubmit={onValidSubmit} className={className}>
      {children}
      <FormError message={serverErrors?.form} />
      <RadioFieldset
        legend={legend}
        options={CHOICES.filter((c) => allowed.includes(c)).map((c) => ({ value: c, label: t(`contracts.choice.${c}`), hint: withHints ? t(`contracts.choiceHint.${c}`) : undefined }))}
        inputProps={register("choice")}
        checked={typed}
        error={choiceError}
        errorId={errorId}
        hintPrefix="choice"
        strongLabels={withHints}
      />
      <ConfirmCheckbox label={confirmLabel} inputProps={register("confirm")} error={confirmError} />
      <div className="form-actions">
        <button type="submit" className={submitClassName} disabled={navigation.state === "submitting"}>
          {submitLabel}
        </button>
      </div>
    </Form>
  );
}
