// Domain errors carry their HTTP status; routes map them in one place (src/server/http.ts).
// A refusal a person can meet on a page also carries `extra.code`: src/i18n/errors.ts has its words
// in both languages as `error.<code>`, their `{placeholders}` filled from the other extra fields.
export class DomainError extends Error {
  readonly status: number;
  readonly extra: Record<string, unknown>;
  constructor(status: number, message: string, extra: Record<string, unknown> = {}) {
    super(message);
    this.status = status;
    this.extra = extra;
  }
}

export const badInput = (message: string, extra?: Record<string, unknown>) => new DomainError(400, message, extra);
/**
 * One answer for "does not exist" and "not yours": the same status and body, whatever was looked
 * for, so an answer never tells whether something the viewer may not read exists.
 */
export const notFound = () => new DomainError(404, 'Not found');
export const conflict = (message: string, extra?: Record<string, unknown>) => new DomainError(409, message, extra);
export const tooLarge = (message: string, extra?: Record<string, unknown>) => new DomainError(413, message, extra);
export const unauthorized = (message = 'Sign in first', extra?: Record<string, unknown>) => new DomainError(401, message, extra);
/** Without words of its own, the generic refusal (code `forbidden`); with them, give the code in `extra`. */
export const forbidden = (message?: string, extra?: Record<string, unknown>) =>
  new DomainError(403, message ?? 'You may not do this here', extra ?? (message === undefined ? { code: 'forbidden' } : {}));

/**
 * What `read` returns, or undefined when it refuses with a DomainError (does not exist, not yours,
 * a malformed key): a page answers all of them with its one 404 page.
 */
export function orNotFound<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch (err) {
    if (err instanceof DomainError) return undefined;
    throw err;
  }
}
