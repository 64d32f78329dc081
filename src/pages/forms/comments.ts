// POST /forms/comments: the page screen's comment and watch forms without JavaScript. Each does
// one domain call and goes back to the page (303); a refused one comes back with
// ?commentError=<reason>, said in the viewer's language (a fixed reason, never text from the URL),
// and a refused text is put back in the form it was typed in (src/server/comments/refused.ts).
import type { APIRoute } from 'astro';
import { deleteComment, postComment, updateComment } from '../../server/comments/comments.ts';
import { commentRefusal, forgetRefused, keepRefused, type RefusedComment } from '../../server/comments/refused.ts';
import { DomainError } from '../../server/errors.ts';
import { pageHref } from '../../server/markdown/href.ts';
import { setPageWatch, setSpaceWatch } from '../../server/watching/watches.ts';
import { postedForm } from '../../components/form-post.ts';

export const POST: APIRoute = async ({ locals, request, redirect }) => {
  const form = postedForm(locals);
  const field = (name: string) => String(form.get(name) ?? '');
  const { viewer } = locals;
  const page = pageHref(field('space'), field('path'));
  const action = field('_action');
  const id = Number(field('id'));
  const parent = field('parent') ? Number(field('parent')) : null;
  try {
    let anchor = '#comments';
    switch (action) {
      case 'post': anchor = `#comment-${(await postComment(viewer, field('space'), field('path'), { markdown: field('markdown'), parent: parent ?? undefined })).id}`; break;
      case 'edit': anchor = `#comment-${(await updateComment(viewer, id, { markdown: field('markdown') })).id}`; break;
      case 'resolve': case 'reopen': await updateComment(viewer, id, { resolved: action === 'resolve' }); anchor = `#comment-${id}`; break;
      case 'delete': deleteComment(viewer, id); break;
      case 'watch-page': case 'unwatch-page': setPageWatch(viewer, field('space'), field('path'), action === 'watch-page'); anchor = ''; break;
      case 'watch-space': case 'unwatch-space': setSpaceWatch(viewer, field('space'), action === 'watch-space'); anchor = ''; break;
      default: return new Response('Unknown action', { status: 400 });
    }
    if (viewer) forgetRefused(viewer.id);
    return redirect(page + anchor, 303);
  } catch (err) {
    if (!(err instanceof DomainError)) throw err;
    if (err.status === 401) return redirect(`/login?next=${encodeURIComponent(page)}`, 303);
    // A page or space the viewer may not read is not theirs to be sent back to.
    if (err.status === 404 && !field('id')) return new Response('Not found', { status: 404 });
    const reason = commentRefusal(err);
    let anchor = '#comments';
    if (viewer && (action === 'post' || action === 'edit')) {
      const from: RefusedComment['form'] = action === 'edit' ? { kind: 'edit', id } : { kind: 'post', parent };
      keepRefused(viewer.id, { space: field('space'), path: field('path'), reason, form: from, markdown: field('markdown') });
      anchor = action === 'edit' ? `#comment-${id}` : parent ? `#comment-${parent}` : '#comment-new';
    }
    return redirect(`${page}?commentError=${reason}${anchor}`, 303);
  }
};
