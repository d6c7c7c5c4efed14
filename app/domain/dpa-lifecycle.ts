/**
 * The life of one processor agreement (DPA), as a pure state machine:
 *
 *   draft ──send──▶ sent ──customer signs──▶ signed ──countersign──▶ in_force ──▶ superseded | ended
 *
 * A customer-paper DPA (the customer's own signed document, uploaded by staff) enters at in_force.
 * Automatic countersignature is allowed only for DPAs on the workspace's standard terms: negotiated
 * terms always need a person.
 */

export type DpaState = "draft" | "sent" | "signed" | "in_force" | "superseded" | "ended";

export type DpaEvent =
  | { type: "send" }
  | { type: "customer_sign"; textHash: string }
  | { type: "countersign"; textHash: string; automatic: boolean; negotiated: boolean }
  | { type: "supersede" }
  | { type: "end" };

export type DpaRefusal =
  | "not_sent"
  | "already_signed"
  | "not_signed_by_customer"
  | "already_countersigned"
  | "superseded"
  | "ended"
  | "text_changed"
  | "automatic_needs_standard_terms"
  | "not_in_force"
  | "already_sent";

export type Transition = { ok: true; state: DpaState } | { ok: false; refusal: DpaRefusal };

function refuse(refusal: DpaRefusal): Transition {
  return { ok: false, refusal };
}

/** What a state refuses for every event that does not apply to it. */
function terminalRefusal(state: DpaState): DpaRefusal | null {
  if (state === "superseded") return "superseded";
  if (state === "ended") return "ended";
  return null;
}

/**
 * Applies an event to a DPA in `state` whose signed text has hash `currentTextHash`.
 * Signatures carry the hash of the text the signer saw; a different hash is refused.
 */
export function applyDpaEvent(state: DpaState, currentTextHash: string, event: DpaEvent): Transition {
  const terminal = terminalRefusal(state);
  switch (event.type) {
    case "send":
      if (terminal) return refuse(terminal);
      return state === "draft" ? { ok: true, state: "sent" } : refuse("already_sent");
    case "customer_sign":
      if (terminal) return refuse(terminal);
      if (state === "draft") return refuse("not_sent");
      if (state !== "sent") return refuse("already_signed");
      if (event.textHash !== currentTextHash) return refuse("text_changed");
      return { ok: true, state: "signed" };
    case "countersign":
      if (terminal) return refuse(terminal);
      if (state === "draft" || state === "sent") return refuse("not_signed_by_customer");
      if (state === "in_force") return refuse("already_countersigned");
      if (event.textHash !== currentTextHash) return refuse("text_changed");
      if (event.automatic && event.negotiated) return refuse("automatic_needs_standard_terms");
      return { ok: true, state: "in_force" };
    case "supersede":
      if (terminal) return refuse(terminal);
      return state === "in_force" ? { ok: true, state: "superseded" } : refuse("not_in_force");
    case "end":
      if (terminal) return refuse(terminal);
      return state === "in_force" ? { ok: true, state: "ended" } : refuse("not_in_force");
  }
}

/** Only one agreement per customer is in force at a time; drafts and open offers may coexist with it. */
export function isOpenOffer(state: DpaState): boolean {
  return state === "draft" || state === "sent" || state === "signed";
}
