import { defineMessages } from "../define";

/** Texts of the terms screens. */
export const termsMessages = defineMessages({
  nl: {},
  en: {},
});
