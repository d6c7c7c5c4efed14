/**
 * Services throw these Responses when access is refused; Remix turns them into the error page
 * with the right status. A portal user who tampers with an id gets 404, never a hint that the row exists.
 */
export function notFound(message = "Not found"): Response {
  return new Response(message, { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" } });
}

export function forbidden(message = "Forbidden"): Response {
  return new Response(message, { status: 403, headers: { "Content-Type": "text/plain; charset=utf-8" } });
}

export function nowIso(): string {
  return new Date().toISOString();
}

/** A PDF download with a safe file name (ASCII fallback plus RFC 5987 UTF-8 name); never cached by shared caches. */
export function pdfResponse(bytes: Uint8Array, filename: string): Response {
  const ascii = filename.replace(/[^\x20-\x7e]/g, "_").replace(/"/g, "'");
  return new Response(new Uint8Array(bytes), {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`,
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
