/** All message areas merged into one catalog per language. Add a new area's import here. */
import { outboxMessages } from "./areas/outbox";
import { termsMessages } from "./areas/terms";
import { en as coreEn } from "./en";
import { nl as coreNl } from "./nl";

export const nlCatalog = { ...coreNl, ...termsMessages.nl, ...outboxMessages.nl };
export const enCatalog: Record<keyof typeof nlCatalog, string> = { ...coreEn, ...termsMessages.en, ...outboxMessages.en };

export type MessageKey = keyof typeof nlCatalog;
