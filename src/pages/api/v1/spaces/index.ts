import type { APIRoute } from 'astro';
import { api, json } from '../../../../server/http.ts';
import { listSpaces } from '../../../../server/spaces/spaces.ts';

export const GET: APIRoute = ({ locals }) => api(() =>
  json(listSpaces(locals.viewer).map(({ key, name, kind, visibility }) => ({ key, name, kind, visibility }))));
