import { describe, expect, it } from "vitest";
import { applyDpaEvent, isOpenOffer, type DpaEvent, type DpaState } from "~/domain/dpa-lifecycle";

const H = "a".repeat(64);
const OTHER = "b".repeat(64);

describe("DPA lifecycle", () => {
  const cases: [DpaState, DpaEvent, DpaState | string][] = [
    ["draft", { type: "send" }, "sent"],
    ["sent", { type: "send" }, "already_sent"],
    ["sent", { type: "customer_sign", textHash: H }, "signed"],
    ["draft", { type: "customer_sign", textHash: H }, "not_sent"],
    ["signed", { type: "customer_sign", textHash: H }, "already_signed"],
    ["in_force", { type: "customer_sign", textHash: H }, "already_signed"],
    ["superseded", { type: "customer_sign", textHash: H }, "superseded"],
    ["ended", { type: "customer_sign", textHash: H }, "ended"],
    ["sent", { type: "customer_sign", textHash: OTHER }, "text_changed"],
    ["signed", { type: "countersign", textHash: H, automatic: false, negotiated: true }, "in_force"],
    ["signed", { type: "countersign", textHash: H, automatic: true, negotiated: false }, "in_force"],
    ["signed", { type: "countersign", textHash: H, automatic: true, negotiated: true }, "automatic_needs_standard_terms"],
    ["signed", { type: "countersign", textHash: OTHER, automatic: false, negotiated: false }, "text_changed"],
    ["sent", { type: "countersign", textHash: H, automatic: false, negotiated: false }, "not_signed_by_customer"],
    ["draft", { type: "countersign", textHash: H, automatic: false, negotiated: false }, "not_signed_by_customer"],
    ["in_force", { type: "countersign", textHash: H, automatic: false, negotiated: false }, "already_countersigned"],
    ["superseded", { type: "countersign", textHash: H, automatic: false, negotiated: false }, "superseded"],
    ["in_force", { type: "supersede" }, "superseded"],
    ["sent", { type: "supersede" }, "not_in_force"],
    ["in_force", { type: "end" }, "ended"],
    ["ended", { type: "end" }, "ended"],
    ["signed", { type: "end" }, "not_in_force"],
  ];

  it.each(cases)("%s + %j → %s", (state, event, expected) => {
    const result = applyDpaEvent(state, H, event);
    if (result.ok) expect(result.state).toBe(expected);
    else expect(result.refusal).toBe(expected);
  });

  it("treats draft, sent and signed as open offers, not the rest", () => {
    expect((["draft", "sent", "signed", "in_force", "superseded", "ended"] as DpaState[]).filter(isOpenOffer)).toEqual(["draft", "sent", "signed"]);
  });
});
