/** The SSO callback URL: from PUBLIC_URL when set (behind a proxy), else this request's origin. */
export function callbackUrl(url: URL): string {
  return new URL('/login/oidc/callback', process.env.PUBLIC_URL || url.origin).href;
}
