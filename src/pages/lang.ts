// The language switch: remembers the choice in a cookie and goes back where the user was.
import type { APIRoute } from 'astro';
import { safeNext } from '../server/auth/safe-next.ts';
import { pickLang } from '../i18n/index.ts';

export const GET: APIRoute = ({ url, cookies, redirect }) => {
  cookies.set('lang', pickLang(url.searchParams.get('to'), null), { path: '/', sameSite: 'lax', maxAge: 365 * 24 * 3600 });
  return redirect(safeNext(url.searchParams.get('next')), 303);
};
