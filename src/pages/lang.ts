// The language switch, a form POST (a GET would let any page's <img> change someone's account):
// remembers the choice in a cookie and, for a signed-in user whose account names a language, in
// the account too (so the header's switch and /account agree, and another browser opens in it);
// an account that follows the browser's language keeps doing so. Then it goes back where the user
// was. Open to the signed-out, so the sign-in page can be read in either language.
import type { APIRoute } from 'astro';
import { postedForm } from '../components/form-post.ts';
import { updateOwnProfile } from '../server/auth/account.ts';
import { safeNext } from '../server/auth/safe-next.ts';
import { pickLang } from '../i18n/index.ts';

export const POST: APIRoute = ({ cookies, locals, redirect }) => {
  const form = postedForm(locals);
  const lang = pickLang(String(form.get('to') ?? ''), null);
  cookies.set('lang', lang, { path: '/', sameSite: 'lax', maxAge: 365 * 24 * 3600 });
  if (locals.viewer?.locale && locals.viewer.locale !== lang) updateOwnProfile(locals.viewer, { locale: lang });
  return redirect(safeNext(String(form.get('next') ?? '')), 303);
};
