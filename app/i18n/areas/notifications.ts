import { defineMessages } from "../define";

/** In-app notifications and calendar feeds (#8). */
export const notificationsMessages = defineMessages({
  nl: {
    "notifications.title": "Meldingen",
  },
  en: {
    "notifications.title": "Notifications",
  },
});
