import type { AppLoadContext } from "@remix-run/node";

/**
 * The client's address as the HTTP server saw it, handed over in the load context (never from a
 * request header the client controls; behind a proxy, set TRUST_PROXY=true and Express reads X-Forwarded-For).
 */
export function clientIp(context: AppLoadContext | undefined): string | null {
  return typeof context?.clientIp === "string" ? context.clientIp : null;
}
