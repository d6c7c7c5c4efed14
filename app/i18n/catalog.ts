/** All message areas merged into one catalog per language. Add a new area with one line in each list. */
import { auditMessages } from "./areas/audit";
import { breachesMessages } from "./areas/breaches";
import { customersMessages } from "./areas/customers";
import { dpasMessages } from "./areas/dpas";
import { outboxMessages } from "./areas/outbox";
import { subprocessorsMessages } from "./areas/subprocessors";
import { termsMessages } from "./areas/terms";
import { en as coreEn } from "./en";
import { nl as coreNl } from "./nl";

export const nlCatalog = {
  ...coreNl,
  ...auditMessages.nl,
  ...breachesMessages.nl,
  ...customersMessages.nl,
  ...dpasMessages.nl,
  ...outboxMessages.nl,
  ...subprocessorsMessages.nl,
  ...termsMessages.nl,
};

export const enCatalog: Record<keyof typeof nlCatalog, string> = {
  ...coreEn,
  ...auditMessages.en,
  ...breachesMessages.en,
  ...customersMessages.en,
  ...dpasMessages.en,
  ...outboxMessages.en,
  ...subprocessorsMessages.en,
  ...termsMessages.en,
};

export type MessageKey = keyof typeof nlCatalog;
