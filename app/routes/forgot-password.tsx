import { zodResolver } from "@hookform/resolvers/zod";
import type { ActionFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData } from "@remix-run/react";
import { getValidatedFormData, useRemixForm } from "remix-hook-form";
import { Field } from "~/components/form";
import { LanguageSwitch } from "~/components/language-switch";
import { useT } from "~/i18n/i18n";
import { titleMeta } from "~/i18n/meta";
import { requestPasswordReset } from "~/services/accounts.server";
import { ForgotPasswordSchema, type ForgotPasswordForm } from "~/services/auth.schemas";
import { nowIso } from "~/services/http.server";

const resolver = zodResolver(ForgotPasswordSchema);

export const meta = titleMeta("forgot.title");

export async function action({ request }: ActionFunctionArgs) {
  const { errors, data } = await getValidatedFormData<ForgotPasswordForm>(request, resolver, true);
  if (errors) return json({ errors, sent: false }, { status: 400 });
  await requestPasswordReset(data.email, nowIso());
  return json({ errors: {}, sent: true });
}

export default function ForgotPassword() {
  const t = useT();
  const actionData = useActionData<typeof action>();
  const { handleSubmit, register, formState } = useRemixForm<ForgotPasswordForm>({ resolver, defaultValues: { email: "" }, stringifyAllValues: false });
  return (
    <main id="main" className="auth-page">
      <div className="card">
        <h1>{t("forgot.title")}</h1>
        {actionData?.sent ? (
          <p className="notice ok" role="status">
            {t("forgot.sent")}
          </p>
        ) : (
          <>
            <p>{t("forgot.intro")}</p>
            <Form method="post" onSubmit={handleSubmit} noValidate>
              <Field label={t("login.email")} type="email" autoComplete="username" error={formState.errors.email} {...register("email")} />
              <button type="submit">{t("forgot.submit")}</button>
            </Form>
          </>
        )}
        <p className="small">
          <Link to="/login">{t("login.title")}</Link>
        </p>
      </div>
      <LanguageSwitch />
    </main>
  );
}
