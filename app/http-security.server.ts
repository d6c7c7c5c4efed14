/** Security headers for every response. The nonce lets exactly our own inline scripts run. */
export function securityHeaders(nonce: string, isProduction: boolean): Record<string, string> {
  const csp = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'`,
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self'${isProduction ? "" : " ws://localhost:*"}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
  return {
    "Content-Security-Policy": csp,
    "Referrer-Policy": "same-origin",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
    ...(isProduction ? { "Strict-Transport-Security": "max-age=31536000; includeSubDomains" } : {}),
  };
}

/**
 * A state-changing request must come from our own pages. Browsers send Origin on POST; a request
 * whose Origin names another site is refused (defence in depth next to SameSite=Lax cookies).
 */
export function isCrossSiteWrite(method: string, origin: string | undefined, host: string | undefined): boolean {
  if (method === "GET" || method === "HEAD" || method === "OPTIONS") return false;
  if (!origin || origin === "null") return false;
  try {
    return new URL(origin).host !== host;
  } catch {
    return true;
  }
}
