/** All message areas merged into one catalog per language. Add a new area with one line in each list. */
import { auditMessages } from "./areas/audit";
import { auditpackMessages } from "./areas/auditpack";
import { breachesMessages } from "./areas/breaches";
import { contractsMessages } from "./areas/contracts";
import { customersMessages } from "./areas/customers";
import { dpasMessages } from "./areas/dpas";
import { notificationsMessages } from "./areas/notifications";
import { outboxMessages } from "./areas/outbox";
import { registersMessages } from "./areas/registers";
import { remindersMessages } from "./areas/reminders";
import { subprocessorsMessages } from "./areas/subprocessors";
import { termsMessages } from "./areas/terms";
import { en as coreEn } from "./en";
import { nl as coreNl } from "./nl";

export const nlCatalog = {
  ...coreNl,
  ...auditMessages.nl,
  ...auditpackMessages.nl,
  ...breachesMessages.nl,
  ...contractsMessages.nl,
  ...customersMessages.nl,
  ...dpasMessages.nl,
  ...notificationsMessages.nl,
  ...outboxMessages.nl,
  ...registersMessages.nl,
  ...remindersMessages.nl,
  ...subprocessorsMessages.nl,
  ...termsMessages.nl,
};

export const enCatalog: Record<keyof typeof nlCatalog, string> = {
  ...coreEn,
  ...auditMessages.en,
  ...auditpackMessages.en,
  ...breachesMessages.en,
  ...contractsMessages.en,
  ...customersMessages.en,
  ...dpasMessages.en,
  ...notificationsMessages.en,
  ...outboxMessages.en,
  ...registersMessages.en,
  ...remindersMessages.en,
  ...subprocessorsMessages.en,
  ...termsMessages.en,
};

export type MessageKey = keyof typeof nlCatalog;
