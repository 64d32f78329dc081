// Checking names and numbers that arrive as request parameters against what they may be. Lists
// are compared with includes, never looked up on an object, so `__proto__`, `constructor` or
// `toString` are just unknown names: a 400 that names the parameter and its allowed values.
import { badInput } from './errors.ts';

export function oneOf<T extends string>(name: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) {
    const shown = value.slice(0, 60);
    throw badInput(`${name}: ${JSON.stringify(shown)} is not one of ${allowed.join(', ')}`, { code: 'badParam', name, value: shown, allowed: allowed.join(', ') });
  }
  return value as T;
}

/**
 * A whole-number query parameter (paging: limit, offset, before): undefined when absent or empty;
 * anything but digits, or below `min`, → 400. A limit above its route's maximum is served as that
 * maximum (each route documents it).
 */
export function numberParam(params: URLSearchParams, name: string, min: number): number | undefined {
  const raw = params.get(name);
  if (raw === null || raw === '') return undefined;
  const value = /^\d{1,15}$/.test(raw) ? Number(raw) : Number.NaN;
  wholeNumber(name, value, min);
  return value;
}

/** An optional whole number of at least `min` (paging: limit, offset). */
export function wholeNumber(name: string, value: number | undefined, min: number): void {
  if (value !== undefined && (!Number.isSafeInteger(value) || value < min)) throw badInput(`${name}: a whole number from ${min}`, { code: 'badNumber', name, min });
}
