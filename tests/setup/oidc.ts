// A real OpenID Connect provider (oidc-provider, with its development login and consent pages)
// for the sign-in tests; the Dossier test server is configured against it.
import Provider from 'oidc-provider';
import { freePort } from '../../src/server/meili/process.ts';

export const SSO_GROUP = 'sso-engineering';

export default async function setup() {
  const dossierPort = await freePort();
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const provider = new Provider(issuer, {
    clients: [{
      client_id: 'dossier', client_secret: 'dossier-test-secret',
      redirect_uris: [`http://127.0.0.1:${dossierPort}/login/oidc/callback`],
      grant_types: ['authorization_code'], response_types: ['code'],
    }],
    scopes: ['openid', 'email', 'profile', 'groups'],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'], groups: ['groups'] },
    findAccount: (_ctx: unknown, id: string) => ({
      accountId: id,
      claims: () => ({ sub: id, email: `${id}@sso.example.com`, email_verified: true, name: `SSO ${id}`, groups: [SSO_GROUP] }),
    }),
    features: { devInteractions: { enabled: true } },
  });
  const server = provider.listen(port);
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  Object.assign(process.env, {
    TEST_DOSSIER_PORT: String(dossierPort),
    DOSSIER_OIDC_ISSUER: issuer, DOSSIER_OIDC_CLIENT_ID: 'dossier', DOSSIER_OIDC_CLIENT_SECRET: 'dossier-test-secret',
    DOSSIER_OIDC_GROUPS_CLAIM: 'groups', DOSSIER_OIDC_NAME: 'Company SSO',
  });
  return async () => { await new Promise((r) => server.close(r)); };
}
