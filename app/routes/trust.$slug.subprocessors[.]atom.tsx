import type { LoaderFunctionArgs } from "@remix-run/node";
import { nowIso } from "~/services/http.server";
import { getPublicFeed } from "~/services/subprocessor-public.server";

/** /trust/<slug>/subprocessors.atom: the Atom 1.0 feed of the public change log (404 unless the page is on). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const xml = await getPublicFeed(params.slug ?? "", nowIso(), new URL(request.url).searchParams.get("lang"));
  return new Response(xml, {
    headers: {
      "Content-Type": "application/atom+xml; charset=utf-8",
      "Cache-Control": "public, max-age=300",
    },
  });
}
