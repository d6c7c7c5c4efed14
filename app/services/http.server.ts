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
