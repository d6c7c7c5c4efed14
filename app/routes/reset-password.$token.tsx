import { zodResolver } from "@hookform/resolvers/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { getValidatedFormData, useRemixForm } from "remix-hook-form";
import { Field } from "~/components/form";
import { useT } from "~/i18n/i18n";
import { titleMeta } from "~/i18n/meta";
import { inspectAccountToken, redeemAccountToken } from "~/services/accounts.server";
import { NewPasswordSchema, type NewPasswordForm } from "~/services/auth.schemas";
import { nowIso } from "~/services/http.server";

const resolver = zodResolver(NewPasswordSchema);

export const meta = titleMeta("reset.title");

export async function loader({ params }: LoaderFunctionArgs) {
  const info = await inspectAccountToken(params.token ?? "", "reset", nowIso());
  return json({ valid: Boolean(info), email: info?.email ?? null });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { errors, data } = await getValidatedFormData<NewPasswordForm>(request, resolver, true);
  if (errors) return json({ errors }, { status: 400 });
  const ok = await redeemAccountToken(params.token ?? "", "reset", { password: data.password }, nowIso());
  if (!ok) return json({ errors: { password: { type: "invalid", message: "reset.invalidLink" } } }, { status: 410 });
  return redirect("/login?reset=1");
}

export default function ResetPassword() {
  const t = useT();
  const { valid, email } = useLoaderData<typeof loader>();
  const { handleSubmit, register, formState } = useRemixForm<NewPasswordForm>({ resolver, defaultValues: { password: "", passwordConfirm: "" }, stringifyAllValues: false });
  return (
    <main id="main" className="auth-page">
      <div className="card">
        <h1>{t("reset.title")}</h1>
        {!valid ? (
          <>
            <p className="form-error" role="alert">
              {t("reset.invalidLink")}
            </p>
            <Link to="/forgot-password">{t("forgot.title")}</Link>
          </>
        ) : (
          <Form method="post" onSubmit={handleSubmit} noValidate>
            <input type="email" name="username" autoComplete="username" value={email ?? ""} readOnly hidden />
            <Field label={t("reset.password")} type="password" autoComplete="new-password" error={formState.errors.password} {...register("password")} />
            <Field
              label={t("reset.passwordConfirm")}
              type="password"
              autoComplete="new-password"
              error={formState.errors.passwordConfirm}
              {...register("passwordConfirm")}
            />
            <button type="submit">{t("reset.submit")}</button>
          </Form>
        )}
      </div>
    </main>
  );
}
