import { createHash, randomBytes, randomUUID } from "node:crypto";

/** Random, unguessable row id. */
export function newId(): string {
  return randomUUID();
}

/** A secret token for links and cookies (256 bits, URL-safe). */
export function newToken(): string {
  return randomBytes(32).toString("base64url");
}

/** Tokens are stored only as their SHA-256, so a copy of the database does not hand out sessions or links. */
export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}
