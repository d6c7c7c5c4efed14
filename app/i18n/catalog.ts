/** All message areas merged into one catalog per language. Add a new area's import here. */
import { auditMessages } from "./areas/audit";
import { customersMessages } from "./areas/customers";
import { outboxMessages } from "./areas/outbox";
import { termsMessages } from "./areas/terms";
import { en as coreEn } from "./en";
import { nl as coreNl } from "./nl";

export const nlCatalog = { ...coreNl, ...termsMessages.nl, ...outboxMessages.nl, ...auditMessages.nl, ...customersMessages.nl };
export const enCatalog: Record<keyof typeof nlCatalog, string> = { ...coreEn, ...termsMessages.en, ...outboxMessages.en, ...auditMessages.en, ...customersMessages.en };

export type MessageKey = keyof typeof nlCatalog;
