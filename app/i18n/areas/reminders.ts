import { defineMessages } from "../define";

/** Scheduler status, reminder settings and reminder texts (#8). */
export const remindersMessages = defineMessages({
  nl: {
    "reminders.title": "Herinneringen",
  },
  en: {
    "reminders.title": "Reminders",
  },
});
