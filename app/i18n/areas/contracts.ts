import { defineMessages } from "../define";

/** End of contract: cases, tasks, evidence and the deletion certificate (#6). */
export const contractsMessages = defineMessages({
  nl: {
    "contracts.title": "Einde contract",
  },
  en: {
    "contracts.title": "End of contract",
  },
});
