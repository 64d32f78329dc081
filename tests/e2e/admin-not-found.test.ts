// The admin pages, to anyone but an admin, are the 404 page of a URL that does not exist: for GET
// and for form posts (which answered 500 when the form was read before the check), byte for byte
// but for the address itself.
import { beforeAll, describe, expect, it } from 'vitest';
import { api, base, signIn, userToken } from './http.ts';

let admin = '';
let plain = '';
beforeAll(async () => {
  ({ token: admin } = await signIn());
  plain = await userToken(admin, 'not.an.admin@example.com', 'Not An Admin');
});

/** The answer, with the address (which the page's language switch names) taken out. */
async function page(method: string, path: string): Promise<{ status: number; html: string }> {
  const res = await api(path, {
    method, auth: plain,
    ...(method === 'POST' && { headers: { origin: base(), 'content-type': 'application/x-www-form-urlencoded' }, body: '_action=create&name=intruders&email=x%40example.com&key=intruded' }),
  });
  return { status: res.status, html: (await res.text()).replaceAll(`name="next" value="${path}"`, 'name="next" value="<address>"') };
}

describe('admin pages for a user who is not an admin', () => {
  const routes = ['/admin', '/admin/users', '/admin/users/1', '/admin/users/999999', '/admin/orphans', '/admin/groups', '/admin/spaces', '/admin/spaces/guide', '/admin/spaces/no-such-space', '/admin/audit'];
  it.each(routes.flatMap((r) => [['GET', r], ['POST', r]]))('%s %s answers as /admin/nonexistent does', async (method, path) => {
    const missing = await page(method, '/admin/nonexistent');
    expect(missing.status).toBe(404);
    expect(await page(method, path)).toEqual(missing);
  });

  it('changed nothing', async () => {
    const res = await api('/api/v1/audit?limit=500', { auth: admin });
    expect(res.status).toBe(200);
    const audit = await res.text();
    for (const name of ['intruders', 'intruded', 'x@example.com']) expect(audit).not.toContain(name);
    expect((await api('/api/v1/spaces/intruded', { auth: admin })).status).toBe(404);
  });
});
