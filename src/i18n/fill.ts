// Placeholders filled from a server answer's fields, in pages and in browser scripts alike.

// One formatter for every message: Number#toLocaleString builds a new one on each call.
const grouped = new Intl.NumberFormat('en');

/** Fills `{name}` from `params`, numbers grouped as 1,000 (as both languages write them here). */
export function fillMessage(text: string, params: Record<string, unknown>): string {
  return text.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name];
    return typeof value === 'number' ? grouped.format(value) : String(value ?? '');
  });
}
