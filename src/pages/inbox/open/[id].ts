// GET /inbox/open/<id>: one of the signed-in user's notifications, followed from the inbox: marked
// read, then a 303 to what it is about as they may see it now (the inbox when that is nothing).
// Signed out, the middleware sends the reader to sign in first and back here.
import type { APIRoute } from 'astro';
import { openNotification } from '../../../server/notify/inbox.ts';

export const GET: APIRoute = ({ locals, params, redirect }) => redirect(openNotification(locals.viewer, Number(params.id)), 303);
