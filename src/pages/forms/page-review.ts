// POST /forms/page-review: the owner-and-review form of a page (and the freshness view's "Mark
// verified") without JavaScript. One domain call, then back (303) to the page, or to the freshness
// view when it came from there; a refused one comes back with ?reviewError=<field or reason>
// (a fixed word, never text from the request).
import type { APIRoute } from 'astro';
import { DomainError } from '../../server/errors.ts';
import { pageHref } from '../../server/markdown/href.ts';
import { updatePageOwnership, type OwnershipInput } from '../../server/pages/ownership.ts';
import { freshnessHref } from '../../server/pages/freshness.ts';
import { postedForm } from '../../components/form-post.ts';

const REASONS: Record<number, string> = { 403: 'forbidden', 400: 'other' };

export const POST: APIRoute = async ({ locals, request, redirect }) => {
  const form = postedForm(locals);
  const field = (name: string) => String(form.get(name) ?? '').trim();
  const [space, path] = [field('space'), field('path')];
  const back = field('back') === 'freshness' ? freshnessHref(space) : pageHref(space, path);
  const input: OwnershipInput = {};
  if (form.has('owner') && field('owner') !== field('currentOwner')) input.owner = field('owner');
  // The date field as it was shown: sent only when it was changed (so "Mark verified" alone takes the space's interval).
  if (form.has('reviewBy') && field('reviewBy') !== field('currentReviewBy')) input.reviewBy = field('reviewBy') || null;
  if (field('_action') === 'verify') input.verified = true;
  try {
    if (Object.keys(input).length) updatePageOwnership(locals.viewer, space, path, input);
    return redirect(`${back}?reviewSaved=${field('_action') === 'verify' ? 'verified' : 'saved'}#review`, 303);
  } catch (err) {
    if (!(err instanceof DomainError)) throw err;
    if (err.status === 404 || err.status === 401) return new Response('Not found', { status: 404 });
    const reason = err.extra.field === 'owner' || err.extra.field === 'reviewBy' ? err.extra.field : REASONS[err.status] ?? 'other';
    return redirect(`${back}?reviewError=${reason}#review`, 303);
  }
};
