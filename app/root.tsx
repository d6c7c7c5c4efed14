import type { LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import {
  isRouteErrorResponse,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLoaderData,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import { useNonce } from "~/components/nonce";
import { translator, type Locale } from "~/i18n/i18n";
import { resolveLocale } from "~/services/locale.server";
import styles from "~/styles/app.css";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: styles },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export async function loader({ request }: LoaderFunctionArgs) {
  return json({ locale: await resolveLocale(request) });
}

function Document({ locale, title, children }: { locale: Locale; title?: string; children: React.ReactNode }) {
  const nonce = useNonce();
  return (
    <html lang={locale}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        {title ? <title>{title}</title> : null}
        <Meta />
        <Links />
      </head>
      <body>
        {children}
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  const { locale } = useLoaderData<typeof loader>();
  return (
    <Document locale={locale}>
      <Outlet />
    </Document>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  const data = useRouteLoaderData<typeof loader>("root");
  const locale = data?.locale ?? "nl";
  const t = translator(locale);
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const message = status === 404 ? t("error.notFound") : status === 403 ? t("error.forbidden") : t("error.generic");
  return (
    <Document locale={locale} title={`${status} · ${t("app.name")}`}>
      <main id="main" className="auth-page">
        <h1>
          {status} · {t("error.title")}
        </h1>
        <p>{message}</p>
        <p>
          <a href="/">{t("error.home")}</a>
        </p>
      </main>
    </Document>
  );
}
