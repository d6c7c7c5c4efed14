import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { CustomerForm } from "~/components/customer-form";
import { useT } from "~/i18n/i18n";
import { titleMeta } from "~/i18n/meta";
import { requireStaff } from "~/services/auth.server";
import { CustomerFormSchema, customerFormErrors, customerFormInput } from "~/services/customer-form";
import { customerFormDefaults, listWorkspaceServices, updateCustomer } from "~/services/customers.server";
import { nowIso } from "~/services/http.server";

export const meta = titleMeta("customerForm.edit");

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { actor } = await requireStaff(request, "workspace:write");
  const customerId = params.customerId ?? "";
  return json({ customerId, defaults: await customerFormDefaults(actor, customerId), services: await listWorkspaceServices(actor) });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { actor } = await requireStaff(request, "workspace:write");
  const parsed = CustomerFormSchema.safeParse(customerFormInput(await request.formData()));
  if (!parsed.success) return json({ errors: customerFormErrors(parsed.error) }, { status: 400 });
  const result = await updateCustomer(actor, params.customerId ?? "", parsed.data, nowIso());
  if (!result.ok) return json({ errors: result.errors }, { status: 400 });
  return redirect(`/customers/${result.customerId}?saved=1`);
}

export default function EditCustomer() {
  const t = useT();
  const { customerId, defaults, services } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <>
      <p>
        <Link to={`/customers/${customerId}`}>← {defaults.name}</Link>
      </p>
      <h1>{t("customerForm.edit")}</h1>
      <CustomerForm
        defaults={defaults}
        services={services}
        serverErrors={actionData?.errors}
        submitLabel={t("customerForm.save")}
        cancelTo={`/customers/${customerId}`}
      />
    </>
  );
}
