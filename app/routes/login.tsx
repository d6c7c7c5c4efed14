import { zodResolver } from "@hookform/resolvers/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { getValidatedFormData, useRemixForm } from "remix-hook-form";
import { Field, FormError } from "~/components/form";
import { LanguageSwitch } from "~/components/language-switch";
import { getConfig } from "~/config.server";
import { useT } from "~/i18n/i18n";
import { titleMeta } from "~/i18n/meta";
import { getCurrentSession, safeRedirect, signIn } from "~/services/auth.server";
import { LoginSchema, type LoginForm } from "~/services/auth.schemas";
import { clientIp } from "~/services/request.server";

const resolver = zodResolver(LoginSchema);

export const meta = titleMeta("login.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const session = await getCurrentSession(request);
  if (session) return redirect(session.user.kind === "portal" ? "/portal" : "/dashboard");
  return json({ demoMode: getConfig().demoMode });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const formData = await request.formData();
  const redirectTo = formData.get("redirectTo");
  const { errors, data, receivedValues } = await getValidatedFormData<LoginForm>(formData, resolver, true);
  if (errors) return json({ errors, defaultValues: { email: receivedValues.email ?? "" }, formError: undefined as string | undefined }, { status: 400 });
  const result = await signIn({
    email: data.email,
    password: data.password,
    ip: clientIp(context),
    userAgent: request.headers.get("User-Agent"),
    previousCookieHeader: request.headers.get("Cookie"),
  });
  if (!result.ok) {
    const formError = result.reason === "throttled" ? "login.throttled" : "login.invalid";
    return json(
      { errors: {}, defaultValues: { email: data.email }, formError: formError as string | undefined },
      { status: result.reason === "throttled" ? 429 : 401, headers: result.retryAfterSeconds ? { "Retry-After": String(result.retryAfterSeconds) } : {} },
    );
  }
  const fallback = result.kind === "portal" ? "/portal" : "/dashboard";
  let target = safeRedirect(redirectTo, fallback);
  // a portal user never lands on a staff page and vice versa
  if (result.kind === "portal" && !target.startsWith("/portal")) target = "/portal";
  if (result.kind === "staff" && target.startsWith("/portal")) target = "/dashboard";
  return redirect(target, { headers: { "Set-Cookie": result.cookie } });
}

export default function Login() {
  const t = useT();
  const { demoMode } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const navigation = useNavigation();
  const {
    handleSubmit,
    register,
    formState: { errors },
  } = useRemixForm<LoginForm>({
    mode: "onSubmit",
    resolver,
    defaultValues: { email: actionData?.defaultValues?.email ?? "", password: "" },
    submitData: { redirectTo: searchParams.get("redirectTo") ?? "" },
    stringifyAllValues: false,
  });
  return (
    <main id="main" className="auth-page">
      <p className="brand">{t("app.name")}</p>
      <p className="muted">{t("app.tagline")}</p>
      <div className="card">
        <h1>{t("login.title")}</h1>
        <FormError message={actionData?.formError} />
        <Form method="post" onSubmit={handleSubmit} noValidate>
          <input type="hidden" name="redirectTo" value={searchParams.get("redirectTo") ?? ""} />
          <Field label={t("login.email")} type="email" autoComplete="username" error={errors.email} {...register("email")} />
          <Field
            label={t("login.password")}
            type="password"
            autoComplete="current-password"
            error={errors.password}
            {...register("password")}
          />
          <button type="submit" disabled={navigation.state === "submitting"}>
            {t("login.submit")}
          </button>
        </Form>
        <p className="small">
          <Link to="/forgot-password">{t("login.forgot")}</Link>
        </p>
      </div>
      {demoMode ? <p className="notice small">{t("login.demoHint", { password: "dpadesk-demo" })}</p> : null}
      <LanguageSwitch />
    </main>
  );
}
