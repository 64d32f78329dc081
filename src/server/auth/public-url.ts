/** The SSO callback URL: from PUBLIC_URL when set (behind a proxy), else this request's origin. */
export function callbackUrl(url: URL): string {
  return new URL('/login/oidc/callback', process.env.PUBLIC_URL || url.origin).href;
}

/** The server's public address for links in messages (chat, e-mail): PUBLIC_URL, else this host's port. */
export function publicBaseUrl(): string {
  return (process.env.PUBLIC_URL || `http://localhost:${process.env.PORT || 4321}`).replace(/\/+$/, '');
}
