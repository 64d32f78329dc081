// Form posts on the account and admin pages: read the form, run the page's handler (one domain
// call), and turn a domain error into the response status and a message for the page, in the
// reader's language when the error has a `code` (src/i18n/errors.ts), else in the server's words.
import { errorText } from '../i18n/error-text.ts';
import { translator } from '../i18n/index.ts';
import { DomainError } from '../server/errors.ts';

export type Field = (name: string) => string;

/** The form of a page or form POST, read (or refused as not a form) by src/middleware.ts. */
export function postedForm(locals: App.Locals): FormData {
  if (!locals.form) throw new Error('src/middleware.ts reads the form of every page POST');
  return locals.form;
}

export async function formPost<T>(
  astro: { request: Request; response: { status: number }; locals: App.Locals },
  handle: (field: Field, form: FormData) => T | Promise<T>,
): Promise<{ result?: T; error?: string }> {
  if (astro.request.method !== 'POST') return {};
  const form = postedForm(astro.locals);
  try {
    return { result: await handle((name) => String(form.get(name) ?? ''), form) };
  } catch (err) {
    if (!(err instanceof DomainError)) throw err;
    astro.response.status = err.status;
    return { error: errorText(translator(astro.locals.lang), err) };
  }
}
