import type { APIRoute } from 'astro';
import { api, json, readJson } from '../../../../server/http.ts';
import { getOwnProfile, updateOwnProfile } from '../../../../server/auth/account.ts';

export const GET: APIRoute = ({ locals }) => api(() => json(getOwnProfile(locals.viewer)));

export const PATCH: APIRoute = ({ locals, request }) => api(async () => {
  const { name, locale, larkOpenId, slackMemberId } = await readJson(request);
  return json(updateOwnProfile(locals.viewer, { name, locale, larkOpenId, slackMemberId } as Parameters<typeof updateOwnProfile>[1]));
});
