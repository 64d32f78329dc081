// GET /login/oidc: off to the identity provider.
import type { APIRoute } from 'astro';
import { startOidcSignIn } from '../../../server/auth/oidc.ts';
import { callbackUrl } from '../../../server/auth/public-url.ts';

export const GET: APIRoute = async ({ url, redirect }) =>
  redirect((await startOidcSignIn(callbackUrl(url), url.searchParams.get('next'))).href, 302);
