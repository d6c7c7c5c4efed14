import { defineMessages } from "../define";

/** Registers, exports, the audit pack and auditor links (#7). */
export const registersMessages = defineMessages({
  nl: {
    "registers.title": "Registers",
  },
  en: {
    "registers.title": "Registers",
  },
});
