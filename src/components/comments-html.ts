// A page's comment threads as one HTML string: a page view may show dozens of comments, and one
// string is several times cheaper than an Astro component per comment (as for the tree:
// tree-html.ts). Forms post to /forms/comments; src/client/comment-box.ts enhances them.
import { formatDate, translator, type Lang } from '../i18n/index.ts';
import type { Comment, Thread } from '../server/comments/comments.ts';
import { escapeHtml as esc } from '../server/html.ts';
import { MAX_COMMENT_CHARS } from '../server/comments/comments.ts';
import type { RefusedComment } from '../server/comments/refused.ts';

interface Context {
  space: string; path: string; lang: Lang; mayWrite: boolean;
  /** A text the server refused from one of these forms, put back with the reason (no JavaScript). */
  refused?: { form: RefusedComment['form']; markdown: string; error: string };
}

const hidden = (fields: Record<string, string | number>) =>
  Object.entries(fields).map(([name, value]) => `<input type="hidden" name="${name}" value="${esc(String(value))}" />`).join('');

/** A comment form; `refused`, when the server refused what was sent from it, fills it again and says why. */
function textForm(c: Context, kind: 'post' | 'edit', fields: Record<string, string | number>, label: string, submit: string, text = '', refused?: Context['refused']): string {
  const error = refused ? `<p class="notice error comment-error" role="alert">${esc(refused.error)}</p>` : '<p class="notice error comment-error" role="alert" hidden></p>';
  return `<form class="form" method="post" action="/forms/comments" data-comment-form="${kind}">${hidden({ _action: kind, ...fields, space: c.space, path: c.path })}`
    + `${error}<label>${esc(label)}<textarea name="markdown" rows="${kind === 'edit' ? 4 : 3}" required maxlength="${MAX_COMMENT_CHARS}" data-mention>\n${esc(refused?.markdown ?? text)}</textarea></label>`
    + `<div class="buttons"><button class="primary" type="submit">${esc(submit)}</button></div></form>`;
}

/** The refused text, if it came from the form `matches` picks. */
const refusedFrom = (c: Context, matches: (form: RefusedComment['form']) => boolean) => (c.refused && matches(c.refused.form) ? c.refused : undefined);

function buttonForm(c: Context, fields: Record<string, string | number>, button: string, attrs = ''): string {
  return `<form method="post" action="/forms/comments"${attrs}>${hidden({ ...fields, space: c.space, path: c.path })}${button}</form>`;
}

function commentHtml(c: Context, x: Comment): string {
  const t = translator(c.lang);
  const date = (iso: string) => esc(formatDate(c.lang, Date.parse(iso)));
  const edited = x.editedAt ? `<span class="meta comment-edited" title="${date(x.editedAt)}">· ${esc(t('comments.edited'))}</span>` : '';
  const body = x.deleted ? `<p class="meta comment-deleted">${esc(t('comments.deleted'))}</p>` : `<div class="prose comment-body">${x.html}</div>`;
  const refused = refusedFrom(c, (f) => f.kind === 'edit' && f.id === x.id);
  const edit = x.mayEdit
    ? `<details class="comment-edit"${refused ? ' open' : ''}><summary>${esc(t('comments.edit'))}</summary>${textForm(c, 'edit', { id: x.id }, t('comments.editLabel'), t('comments.save'), x.markdown, refused)}</details>` : '';
  const del = x.mayDelete
    ? buttonForm(c, { _action: 'delete', id: x.id }, `<button class="small linkish danger" type="submit">${esc(t('comments.delete'))}</button>`, ` data-comment-confirm="${esc(t('comments.deleteConfirm'))}"`) : '';
  return `<article class="page-comment" id="comment-${x.id}"><header class="comment-head"><strong>${esc(x.author?.name ?? t('comments.unknownAuthor'))}</strong>`
    + `<time class="meta" datetime="${x.createdAt}">${date(x.createdAt)}</time>${edited}</header>${body}`
    + (edit || del ? `<div class="comment-actions">${edit}${del}</div>` : '') + '</article>';
}

/** The threads, each with its replies, a reply form and resolve/reopen where the viewer may. */
export function threadsHtml(threads: Thread[], c: Context): string {
  const t = translator(c.lang);
  return `<ol class="comment-threads">${threads.map((th) => {
    const badge = th.resolved ? `<span class="status-badge done comment-resolved">${esc(t('comments.resolved'))}</span>` : '';
    const replies = th.replies.length ? `<ol class="comment-replies">${th.replies.map((r) => `<li>${commentHtml(c, r)}</li>`).join('')}</ol>` : '';
    const refused = refusedFrom(c, (f) => f.kind === 'post' && f.parent === th.id);
    const reply = c.mayWrite
      ? `<details class="comment-reply"${refused ? ' open' : ''}><summary>${esc(t('comments.reply'))}</summary>${textForm(c, 'post', { parent: th.id }, t('comments.replyLabel'), t('comments.sendReply'), '', refused)}</details>` : '';
    const resolve = th.mayResolve
      ? buttonForm(c, { _action: th.resolved ? 'reopen' : 'resolve', id: th.id }, `<button class="small" type="submit">${esc(th.resolved ? t('comments.reopen') : t('comments.resolve'))}</button>`) : '';
    return `<li class="comment-thread${th.resolved ? ' resolved' : ''}" data-thread="${th.id}">${badge}${commentHtml(c, th)}${replies}<div class="thread-actions">${reply}${resolve}</div></li>`;
  }).join('')}</ol>`;
}
