// POST /forms/comments: the page screen's comment and watch forms without JavaScript. Each does
// one domain call and goes back to the page (303); a refused one comes back with
// ?commentError=<reason>, shown above the comments (a fixed reason, never text from the URL).
import type { APIRoute } from 'astro';
import { deleteComment, postComment, updateComment } from '../../server/comments/comments.ts';
import { DomainError } from '../../server/errors.ts';
import { pageHref } from '../../server/markdown/href.ts';
import { setPageWatch, setSpaceWatch } from '../../server/watching/watches.ts';

const REASONS: Record<number, string> = { 400: 'empty', 403: 'forbidden', 404: 'notFound', 413: 'tooLarge' };

export const POST: APIRoute = async ({ locals, request, redirect }) => {
  const form = await request.formData();
  const field = (name: string) => String(form.get(name) ?? '');
  const { viewer } = locals;
  const page = pageHref(field('space'), field('path'));
  const id = Number(field('id'));
  try {
    let anchor = '#comments';
    switch (field('_action')) {
      case 'post': anchor = `#comment-${(await postComment(viewer, field('space'), field('path'), { markdown: field('markdown'), parent: field('parent') || undefined })).id}`; break;
      case 'edit': anchor = `#comment-${(await updateComment(viewer, id, { markdown: field('markdown') })).id}`; break;
      case 'resolve': case 'reopen': await updateComment(viewer, id, { resolved: field('_action') === 'resolve' }); anchor = `#comment-${id}`; break;
      case 'delete': deleteComment(viewer, id); break;
      case 'watch-page': case 'unwatch-page': setPageWatch(viewer, field('space'), field('path'), field('_action') === 'watch-page'); anchor = ''; break;
      case 'watch-space': case 'unwatch-space': setSpaceWatch(viewer, field('space'), field('_action') === 'watch-space'); anchor = ''; break;
      default: return new Response('Unknown action', { status: 400 });
    }
    return redirect(page + anchor, 303);
  } catch (err) {
    if (!(err instanceof DomainError)) throw err;
    // A page or space the viewer may not read is not theirs to be sent back to.
    if (err.status === 404 && !field('id')) return new Response('Not found', { status: 404 });
    return redirect(`${page}?commentError=${REASONS[err.status] ?? 'other'}#comments`, 303);
  }
};
