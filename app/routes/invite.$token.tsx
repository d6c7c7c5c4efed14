import { zodResolver } from "@hookform/resolvers/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { getValidatedFormData, useRemixForm } from "remix-hook-form";
import { Field } from "~/components/form";
import { useT } from "~/i18n/i18n";
import { titleMeta } from "~/i18n/meta";
import { inspectAccountToken, redeemAccountToken } from "~/services/accounts.server";
import { AcceptInvitationSchema, type AcceptInvitationForm } from "~/services/auth.schemas";
import { nowIso } from "~/services/http.server";

const resolver = zodResolver(AcceptInvitationSchema);

export const meta = titleMeta("invite.title");

export async function loader({ params }: LoaderFunctionArgs) {
  const info = await inspectAccountToken(params.token ?? "", "invite", nowIso());
  return json({ valid: Boolean(info), email: info?.email ?? null, workspaceName: info?.workspaceName ?? "", role: info?.role ?? null });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { errors, data } = await getValidatedFormData<AcceptInvitationForm>(request, resolver, true);
  if (errors) return json({ errors }, { status: 400 });
  const ok = await redeemAccountToken(params.token ?? "", "invite", { password: data.password, name: data.name }, nowIso());
  if (!ok) return json({ errors: { name: { type: "invalid", message: "reset.invalidLink" } } }, { status: 410 });
  return redirect("/login?activated=1");
}

export default function AcceptInvitation() {
  const t = useT();
  const { valid, email, workspaceName, role } = useLoaderData<typeof loader>();
  const { handleSubmit, register, formState } = useRemixForm<AcceptInvitationForm>({
    resolver,
    defaultValues: { name: "", password: "", passwordConfirm: "" },
    stringifyAllValues: false,
  });
  return (
    <main id="main" className="auth-page">
      <div className="card">
        <h1>{t("invite.title")}</h1>
        {!valid ? (
          <p className="form-error" role="alert">
            {t("reset.invalidLink")}
          </p>
        ) : (
          <>
            <p>{t("invite.intro", { role: role ? t(`role.${role}`) : "", workspace: workspaceName })}</p>
            <Form method="post" onSubmit={handleSubmit} noValidate>
              <input type="email" name="username" autoComplete="username" value={email ?? ""} readOnly hidden />
              <Field label={t("invite.name")} autoComplete="name" error={formState.errors.name} {...register("name")} />
              <Field label={t("reset.password")} type="password" autoComplete="new-password" error={formState.errors.password} {...register("password")} />
              <Field
                label={t("reset.passwordConfirm")}
                type="password"
                autoComplete="new-password"
                error={formState.errors.passwordConfirm}
                {...register("passwordConfirm")}
              />
              <button type="submit">{t("invite.submit")}</button>
            </Form>
          </>
        )}
      </div>
    </main>
  );
}
