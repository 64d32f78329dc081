// Single sign-on with the company's identity provider over OpenID Connect (Lark/Feishu, Okta,
// Azure AD, Keycloak…), configured by environment. Authorization code flow with PKCE, state and
// nonce; users are created on first sign-in and, optionally, their groups follow a claim.
import * as client from 'openid-client';
import { and, eq, inArray, lt } from 'drizzle-orm';
import { randomBytes } from 'node:crypto';
import { groupMembers, groups, oidcLogins, users } from '../../../db/schema.ts';
import { db, write } from '../db.ts';
import { DomainError, unauthorized } from '../errors.ts';
import { safeNext } from './safe-next.ts';
import { hashPassword } from './password.ts';
import { normalizeEmail } from './users.ts';

export interface OidcSettings { issuer: string; clientId: string; clientSecret: string; groupsClaim: string | null; label: string }

export function oidcSettings(): OidcSettings | null {
  const issuer = process.env.DOSSIER_OIDC_ISSUER;
  const clientId = process.env.DOSSIER_OIDC_CLIENT_ID;
  if (!issuer || !clientId) return null;
  return {
    issuer, clientId, clientSecret: process.env.DOSSIER_OIDC_CLIENT_SECRET ?? '',
    groupsClaim: process.env.DOSSIER_OIDC_GROUPS_CLAIM || null,
    label: process.env.DOSSIER_OIDC_NAME || 'SSO',
  };
}

let discovered: { key: string; config: Promise<client.Configuration> } | undefined;

function configuration(s: OidcSettings): Promise<client.Configuration> {
  const key = `${s.issuer} ${s.clientId}`;
  if (discovered?.key !== key) {
    const insecure = new URL(s.issuer).protocol === 'http:'; // local test providers only
    const config = client.discovery(new URL(s.issuer), s.clientId, s.clientSecret, undefined, insecure ? { execute: [client.allowInsecureRequests] } : undefined);
    config.catch(() => { discovered = undefined; }); // retry discovery next time
    discovered = { key, config };
  }
  return discovered.config;
}

const LOGIN_TTL_MS = 10 * 60 * 1000;

/** Where to send the browser to sign in; remembers state, nonce and PKCE verifier. */
export async function startOidcSignIn(redirectUri: string, next: string | null): Promise<URL> {
  const s = oidcSettings();
  if (!s) throw new DomainError(404, 'Single sign-on is not configured', { code: 'ssoOff' });
  const config = await configuration(s);
  const state = client.randomState();
  const nonce = client.randomNonce();
  const verifier = client.randomPKCECodeVerifier();
  write((tx) => {
    tx.delete(oidcLogins).where(lt(oidcLogins.createdAt, Date.now() - LOGIN_TTL_MS)).run();
    tx.insert(oidcLogins).values({ state, nonce, verifier, next: safeNext(next) }).run();
  });
  return client.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope: ['openid', 'email', 'profile', ...(s.groupsClaim ? [s.groupsClaim] : [])].join(' '),
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state, nonce,
  });
}

/** The reasons a sign-in through the identity provider is refused (the `code` of its error). */
export const SSO_REFUSALS = ['ssoOff', 'ssoExpired', 'ssoFailed', 'ssoNoEmail', 'accountDeactivated'] as const;

/** Completes the sign-in at the callback URL; returns the user id and where to go next. */
export async function finishOidcSignIn(callbackUrl: URL): Promise<{ userId: number; next: string }> {
  const s = oidcSettings();
  if (!s) throw new DomainError(404, 'Single sign-on is not configured', { code: 'ssoOff' });
  const state = callbackUrl.searchParams.get('state') ?? '';
  const login = write((tx) => tx.delete(oidcLogins).where(eq(oidcLogins.state, state)).returning().get());
  if (!login || login.createdAt < Date.now() - LOGIN_TTL_MS) throw unauthorized('This sign-in link has expired; start again', { code: 'ssoExpired' });
  let claims: Claims;
  try {
    const config = await configuration(s);
    const tokens = await client.authorizationCodeGrant(config, callbackUrl, {
      pkceCodeVerifier: login.verifier, expectedState: login.state, expectedNonce: login.nonce,
    });
    const idToken = tokens.claims();
    if (!idToken) throw new Error('no ID token');
    // Providers may keep email, name and groups out of the ID token: ask the userinfo endpoint.
    const userinfo = await client.fetchUserInfo(config, tokens.access_token, idToken.sub);
    claims = { ...userinfo, ...idToken };
  } catch (err) {
    throw unauthorized(`Sign-in with ${s.label} failed: ${err instanceof Error ? err.message : err}`, { code: 'ssoFailed' });
  }
  const userId = await upsertOidcUser(s, claims);
  return { userId, next: login.next };
}

type Claims = client.IDToken & Record<string, unknown>;

async function upsertOidcUser(s: OidcSettings, claims: Claims): Promise<number> {
  const subject = `${claims.iss} ${claims.sub}`;
  const email = typeof claims.email === 'string' ? normalizeEmail(claims.email) : null;
  const name = typeof claims.name === 'string' && claims.name.trim() ? claims.name.trim().slice(0, 120) : email ?? claims.sub;
  // Password sign-in stays impossible for new SSO users: a random, never-shown password.
  const unusable = await hashPassword(randomBytes(32).toString('hex'));
  return write((tx) => {
    let user = tx.select().from(users).where(eq(users.oidcSubject, subject)).get();
    if (!user && email && claims.email_verified === true) {
      // An existing account with the same verified email is linked, not duplicated.
      user = tx.select().from(users).where(eq(users.email, email)).get();
      if (user) tx.update(users).set({ oidcSubject: subject }).where(eq(users.id, user.id)).run();
    }
    if (!user) {
      if (!email) throw unauthorized('The identity provider did not share an email address', { code: 'ssoNoEmail' });
      user = tx.insert(users).values({ email, name, passwordHash: unusable, oidcSubject: subject }).returning().get();
    }
    if (!user.active) throw unauthorized('This account is deactivated', { code: 'accountDeactivated' });
    if (s.groupsClaim) syncGroups(tx, user.id, claims[s.groupsClaim]);
    return user.id;
  });
}

/** The user's IdP-managed groups become exactly those in the claim; local groups are untouched. */
function syncGroups(tx: ReturnType<typeof db>, userId: number, claim: unknown): void {
  const names = Array.isArray(claim) ? [...new Set(claim.filter((g): g is string => typeof g === 'string' && g.trim() !== '').map((g) => g.trim().slice(0, 64)))] : [];
  for (const name of names) tx.insert(groups).values({ name, origin: 'oidc' }).onConflictDoNothing().run();
  const wanted = names.length ? tx.select({ id: groups.id }).from(groups).where(inArray(groups.name, names)).all().map((g) => g.id) : [];
  const synced = tx.select({ id: groups.id }).from(groups).where(eq(groups.origin, 'oidc')).all().map((g) => g.id);
  const drop = synced.filter((id) => !wanted.includes(id));
  if (drop.length) tx.delete(groupMembers).where(and(eq(groupMembers.userId, userId), inArray(groupMembers.groupId, drop))).run();
  for (const groupId of wanted) tx.insert(groupMembers).values({ groupId, userId }).onConflictDoNothing().run();
}
