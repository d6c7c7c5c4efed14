/**
 * A message area: Dutch texts (the reference) and English texts with exactly the same keys.
 * Keys are "<area>.<name>"; texts may hold {placeholders}.
 */
export function defineMessages<const N extends Record<string, string>>(messages: { nl: N; en: { [K in keyof N]: string } }) {
  return messages;
}
