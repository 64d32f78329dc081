// The language switch: remembers the choice in a cookie and, for a signed-in user whose account
// names a language, in the account too (so the header's switch and /account agree, and another
// browser opens in it); an account that follows the browser's language keeps doing so. Then it
// goes back where the user was.
import type { APIRoute } from 'astro';
import { updateOwnProfile } from '../server/auth/account.ts';
import { safeNext } from '../server/auth/safe-next.ts';
import { pickLang } from '../i18n/index.ts';

export const GET: APIRoute = ({ url, cookies, locals, redirect }) => {
  const lang = pickLang(url.searchParams.get('to'), null);
  cookies.set('lang', lang, { path: '/', sameSite: 'lax', maxAge: 365 * 24 * 3600 });
  if (locals.viewer?.locale && locals.viewer.locale !== lang) updateOwnProfile(locals.viewer, { locale: lang });
  return redirect(safeNext(url.searchParams.get('next')), 303);
};
