/**
 * The one error type of the pure domain layer. Domain functions throw it for input that
 * cannot be computed with (an unparseable instant, a negative number of hours, an unknown
 * terms field); services catch it and show `messages[locale]` next to `field`.
 * Rule checks that collect several problems at once (validateNewVersion) return
 * `ValidationIssue[]` instead of throwing.
 */

import type { LocalizedText } from "./locale";

export type DomainErrorCode =
  | "invalid_instant"
  | "invalid_date"
  | "invalid_hours"
  | "invalid_period"
  | "invalid_order"
  | "contract_term_missing"
  | "unknown_terms_field"
  | "invalid_deviation_value"
  | "duplicate_deviation";

export class DomainError extends Error {
  readonly code: DomainErrorCode;
  /** the input field (or terms field path) the problem is about */
  readonly field: string;
  readonly messages: LocalizedText;

  constructor(code: DomainErrorCode, field: string, messages: LocalizedText) {
    super(`${field}: ${messages.en}`);
    this.name = "DomainError";
    this.code = code;
    this.field = field;
    this.messages = messages;
  }
}

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError;
}
