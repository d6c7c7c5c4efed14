import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { CustomerForm } from "~/components/customer-form";
import { useT } from "~/i18n/i18n";
import { titleMeta } from "~/i18n/meta";
import { requireStaff } from "~/services/auth.server";
import { CustomerFormSchema, customerFormErrors, customerFormInput, type CustomerFormInput } from "~/services/customer-form";
import { createCustomer, listWorkspaceServices } from "~/services/customers.server";
import { nowIso } from "~/services/http.server";

export const meta = titleMeta("customerForm.new");

export async function loader({ request }: LoaderFunctionArgs) {
  const { actor, workspace } = await requireStaff(request, "workspace:write");
  const defaults: CustomerFormInput = {
    name: "",
    registrationNumber: "",
    address: "",
    postcode: "",
    city: "",
    country: "NL",
    language: workspace.defaultLanguage,
    signatoryName: "",
    signatoryRole: "",
    signatoryEmail: "",
    privacyContactName: "",
    privacyContactEmail: "",
    dpoName: "",
    dpoEmail: "",
    notificationEmails: "",
    contractStart: nowIso().slice(0, 10),
    contractTermMonths: 12,
    subjectMatter: "",
    nature: "",
    processingDuration: "",
    purposes: "",
    dataCategories: [],
    dataSubjects: [],
    serviceIds: [],
    transfersOutsideEea: false,
    securityAdditions: "",
  };
  return json({ defaults, services: await listWorkspaceServices(actor) });
}

export async function action({ request }: ActionFunctionArgs) {
  const { actor } = await requireStaff(request, "workspace:write");
  const parsed = CustomerFormSchema.safeParse(customerFormInput(await request.formData()));
  if (!parsed.success) return json({ errors: customerFormErrors(parsed.error) }, { status: 400 });
  const result = await createCustomer(actor, parsed.data, nowIso());
  if (!result.ok) return json({ errors: result.errors }, { status: 400 });
  return redirect(`/customers/${result.customerId}?created=1`);
}

export default function NewCustomer() {
  const t = useT();
  const { defaults, services } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <>
      <p>
        <Link to="/customers">← {t("customers.title")}</Link>
      </p>
      <h1>{t("customerForm.new")}</h1>
      <CustomerForm defaults={defaults} services={services} serverErrors={actionData?.errors} submitLabel={t("customerForm.create")} cancelTo="/customers" />
    </>
  );
}
