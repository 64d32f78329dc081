// Placeholders filled from a server answer's fields, in pages and in browser scripts alike.

// One formatter for every message: Number#toLocaleString builds a new one on each call.
const grouped = new Intl.NumberFormat('en');

// `{name}` is a value; `{name:one|other}` the English singular or plural for the number `name`
// ("{n} {n:result|results}"); Chinese strings need no plural.
export const PLACEHOLDER = /\{(\w+)(?::([^|{}]*)\|([^{}]*))?\}/g;
export const englishPlural = new Intl.PluralRules('en');

/** Fills `{name}` (and `{name:one|other}`) from `params`, numbers grouped as 1,000 (as both languages write them here). */
export function fillMessage(text: string, params: Record<string, unknown>): string {
  return text.replace(PLACEHOLDER, (_, name: string, one: string | undefined, other: string | undefined) => {
    const value = params[name];
    if (one !== undefined) return englishPlural.select(Number(value)) === 'one' ? one : other!;
    return typeof value === 'number' ? grouped.format(value) : String(value ?? '');
  });
}
