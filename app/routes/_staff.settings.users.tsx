import { zodResolver } from "@hookform/resolvers/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useId } from "react";
import { getValidatedFormData, useRemixForm } from "remix-hook-form";
import { Field, FormError, useErrorText } from "~/components/form";
import { useT } from "~/i18n/i18n";
import { titleMeta } from "~/i18n/meta";
import { inviteStaff, listStaff } from "~/services/accounts.server";
import { InviteStaffSchema, type InviteStaffForm } from "~/services/auth.schemas";
import { requireStaff } from "~/services/auth.server";
import { displayInstant } from "~/services/display.server";
import { nowIso } from "~/services/http.server";

type InviteActionData = { errors: Record<string, unknown>; formError?: string; invited?: string };

const resolver = zodResolver(InviteStaffSchema);

export const meta = titleMeta("users.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const { actor } = await requireStaff(request, "workspace:admin");
  const staff = await listStaff(actor);
  return json({ staff: staff.map((u) => ({ ...u, lastLoginDisplay: displayInstant(u.lastLoginAt) })) });
}

export async function action({ request }: ActionFunctionArgs) {
  const { actor } = await requireStaff(request, "workspace:admin");
  const { errors, data } = await getValidatedFormData<InviteStaffForm>(request, resolver, true);
  if (errors) return json<InviteActionData>({ errors }, { status: 400 });
  const result = await inviteStaff(actor, data, nowIso());
  if (!result.ok) return json<InviteActionData>({ errors: {}, formError: result.error }, { status: 409 });
  return json<InviteActionData>({ errors: {}, invited: result.email });
}

export default function Users() {
  const t = useT();
  const errorText = useErrorText();
  const roleId = useId();
  const { staff } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { handleSubmit, register, formState } = useRemixForm<InviteStaffForm>({
    resolver,
    defaultValues: { email: "", role: "privacy_officer" },
    stringifyAllValues: false,
  });
  return (
    <>
      <h1>{t("users.title")}</h1>
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">{t("common.name")}</th>
              <th scope="col">{t("common.email")}</th>
              <th scope="col">{t("users.role")}</th>
              <th scope="col">{t("users.status")}</th>
              <th scope="col">{t("users.lastLogin")}</th>
            </tr>
          </thead>
          <tbody>
            {staff.map((u) => (
              <tr key={u.id}>
                <td>{u.name}</td>
                <td>{u.email}</td>
                <td>{t(`role.${u.role}`)}</td>
                <td>
                  {u.disabledAt ? (
                    <span className="badge danger">{t("users.status.disabled")}</span>
                  ) : u.invited ? (
                    <span className="badge warn">{t("users.status.invited")}</span>
                  ) : (
                    <span className="badge ok">{t("users.status.active")}</span>
                  )}
                </td>
                <td>{u.lastLoginDisplay || t("users.never")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <section className="card" aria-labelledby="invite">
        <h2 id="invite">{t("users.invite")}</h2>
        {actionData?.invited ? <p className="notice ok">{t("users.invited", { email: actionData.invited })}</p> : null}
        <FormError message={actionData?.formError} />
        <Form method="post" onSubmit={handleSubmit} noValidate>
          <Field label={t("common.email")} type="email" error={formState.errors.email} {...register("email")} />
          <div className="field">
            <label htmlFor={roleId}>{t("users.role")}</label>
            <select id={roleId} {...register("role")}>
              <option value="admin">{t("role.admin")}</option>
              <option value="privacy_officer">{t("role.privacy_officer")}</option>
              <option value="auditor">{t("role.auditor")}</option>
            </select>
            {formState.errors.role ? <span className="error">{errorText(formState.errors.role)}</span> : null}
          </div>
          <button type="submit">{t("users.inviteSubmit")}</button>
        </Form>
      </section>
    </>
  );
}
