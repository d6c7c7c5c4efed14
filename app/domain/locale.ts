/** The two UI languages and a text in both. */
export type Locale = "nl" | "en";

export type LocalizedText = { nl: string; en: string };
