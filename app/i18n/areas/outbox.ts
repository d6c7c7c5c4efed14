import { defineMessages } from "../define";

/** Texts of the outbox screens. */
export const outboxMessages = defineMessages({
  nl: {},
  en: {},
});
