// GET /api/v1/mentions/<space>?q=li: the comment box's @ autocomplete — up to 8 active users who
// may read the space, by name containing q (2+ characters, or one Chinese one); the space's
// editors also match and see emails. 404 for a space you may not read.
import type { APIRoute } from 'astro';
import { mentionSuggestions } from '../../../../server/comments/mentions.ts';
import { can } from '../../../../server/access/index.ts';
import { api, json } from '../../../../server/http.ts';
import { getSpace } from '../../../../server/spaces/spaces.ts';

export const GET: APIRoute = ({ locals, params, url }) => api(() => {
  const space = getSpace(locals.viewer, params.space ?? '');
  return json(mentionSuggestions(space, url.searchParams.get('q') ?? '', can(locals.viewer, 'edit', space)));
});
