import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useT } from "~/i18n/i18n";
import { titleMeta } from "~/i18n/meta";
import { requirePortal } from "~/services/auth.server";

export const meta = titleMeta("portal.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const { actor, customer, workspace } = await requirePortal(request);
  return json({
    user: { name: actor.name },
    customer: {
      name: customer.name,
      registrationNumber: customer.registrationNumber,
      address: `${customer.address}, ${customer.postcode} ${customer.city}`,
      privacyContact: `${customer.privacyContactName} · ${customer.privacyContactEmail}`,
    },
    vendor: {
      legalName: workspace.legalName,
      address: `${workspace.address}, ${workspace.postcode} ${workspace.city}`,
      kvkNumber: workspace.kvkNumber,
    },
  });
}

export default function PortalHome() {
  const t = useT();
  const { user, customer, vendor } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>{t("portal.welcome", { name: user.name })}</h1>
      <p>{t("portal.intro", { customer: customer.name, vendor: vendor.legalName })}</p>
      <div className="cards">
        <section className="card" aria-labelledby="your-company">
          <h2 id="your-company">{t("portal.yourCompany")}</h2>
          <dl className="facts">
            <dt>{t("common.name")}</dt>
            <dd>{customer.name}</dd>
            <dt>{t("customers.kvk")}</dt>
            <dd className="mono">{customer.registrationNumber ?? "—"}</dd>
            <dt>{t("customers.address")}</dt>
            <dd>{customer.address}</dd>
            <dt>{t("customers.detail.privacyContact")}</dt>
            <dd>{customer.privacyContact}</dd>
          </dl>
        </section>
        <section className="card" aria-labelledby="processor">
          <h2 id="processor">{t("portal.processor")}</h2>
          <dl className="facts">
            <dt>{t("common.name")}</dt>
            <dd>{vendor.legalName}</dd>
            <dt>{t("customers.kvk")}</dt>
            <dd className="mono">{vendor.kvkNumber ?? "—"}</dd>
            <dt>{t("customers.address")}</dt>
            <dd>{vendor.address}</dd>
          </dl>
        </section>
      </div>
    </>
  );
}
