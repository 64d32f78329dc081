// A page's comments below the page as one HTML string: the threads, each with its replies, reply
// and resolve/reopen, and a comment box (Markdown, @ mentions with autocomplete when JavaScript
// runs: src/client/comment-box.ts). A page view may show dozens of comments, and one string is
// several times cheaper than an Astro component per comment (page-actions-html.ts says more).
// Plain forms posting to /forms/comments do everything without JavaScript.
import { html, type SafeHtml } from '@remix-run/html-template';
import { formatDate, translator, type Lang, type MessageKey } from '../i18n/index.ts';
import { can, type Viewer } from '../server/access/index.ts';
import { MAX_COMMENT_CHARS, prepareCommentCharts, threadsOf, type Comment, type Thread } from '../server/comments/comments.ts';
import { COMMENT_REFUSALS, refusedOn, type CommentRefusal, type RefusedComment } from '../server/comments/refused.ts';
import type { LivePage } from '../server/pages/get-page.ts';
import type { Space } from '../server/spaces/spaces.ts';

interface Context {
  space: string; path: string; lang: Lang; mayWrite: boolean;
  /** A text the server refused from one of these forms, put back with the reason (no JavaScript). */
  refused?: { form: RefusedComment['form']; markdown: string; error: string };
}

const hidden = (fields: Record<string, string | number>) =>
  Object.entries(fields).map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}" />`);

/** A comment form; `refused`, when the server refused what was sent from it, fills it again and says why. */
/** What a comment write is refused with, said by the comment script (client/comment-box.ts) in the reader's words. */
const REFUSAL_CODES = ['commentEmpty', 'commentTooLong', 'commentAuthorOnly'] as const;
const refusalStrings = (t: ReturnType<typeof translator>) => Object.fromEntries(REFUSAL_CODES.map((c) => [`error.${c}`, t(`error.${c}`)]));

function textForm(c: Context, kind: 'post' | 'edit', fields: Record<string, string | number>, label: string, submit: string, text = '', refused?: Context['refused']): SafeHtml {
  const error = refused ? html`<p class="notice error comment-error" role="alert">${refused.error}</p>` : html`<p class="notice error comment-error" role="alert" hidden></p>`;
  return html`<form class="form" method="post" action="/forms/comments" data-comment-form="${kind}">${hidden({ _action: kind, ...fields, space: c.space, path: c.path })}${error}<label>${label}<textarea name="markdown" rows="${kind === 'edit' ? 4 : 3}" required maxlength="${MAX_COMMENT_CHARS}" data-mention-space="${c.space}">\n${refused?.markdown ?? text}</textarea></label><div class="buttons"><button class="primary" type="submit">${submit}</button></div></form>`;
}

/** The refused text, if it came from the form `matches` picks. */
const refusedFrom = (c: Context, matches: (form: RefusedComment['form']) => boolean) => (c.refused && matches(c.refused.form) ? c.refused : undefined);

function buttonForm(c: Context, fields: Record<string, string | number>, button: SafeHtml, confirm?: string): SafeHtml {
  return html`<form method="post" action="/forms/comments"${confirm === undefined ? null : html` data-comment-confirm="${confirm}"`}>${hidden({ ...fields, space: c.space, path: c.path })}${button}</form>`;
}

function commentHtml(c: Context, x: Comment): SafeHtml {
  const t = translator(c.lang);
  const date = (iso: string) => formatDate(c.lang, Date.parse(iso));
  const edited = x.editedAt ? html`<span class="meta comment-edited" title="${date(x.editedAt)}">· ${t('comments.edited')}</span>` : null;
  // The comment's HTML was rendered and sanitized when it was saved (src/server/comments).
  const body = x.deleted ? html`<p class="meta comment-deleted">${t('comments.deleted')}</p>` : html.raw`<div class="prose comment-body">${x.html}</div>`;
  const refused = refusedFrom(c, (f) => f.kind === 'edit' && f.id === x.id);
  const edit = x.mayEdit
    ? html`<details class="comment-edit"${refused ? html` open` : null}><summary>${t('comments.edit')}</summary>${textForm(c, 'edit', { id: x.id }, t('comments.editLabel'), t('comments.save'), x.markdown, refused)}</details>` : null;
  const del = x.mayDelete
    ? buttonForm(c, { _action: 'delete', id: x.id }, html`<button class="small linkish danger" type="submit">${t('comments.delete')}</button>`, t('comments.deleteConfirm')) : null;
  return html`<article class="page-comment" id="comment-${x.id}"><header class="comment-head"><strong>${x.author?.name ?? t('comments.unknownAuthor')}</strong><time class="meta" datetime="${x.createdAt}">${date(x.createdAt)}</time>${edited}</header>${body}${edit || del ? html`<div class="comment-actions">${edit}${del}</div>` : null}</article>`;
}

/** The threads, each with its replies, a reply form and resolve/reopen where the viewer may. */
function threadsHtml(threads: Thread[], c: Context): SafeHtml {
  const t = translator(c.lang);
  return html`<ol class="comment-threads">${threads.map((th) => {
    const badge = th.resolved ? html`<span class="status-badge done comment-resolved">${t('comments.resolved')}</span>` : null;
    const replies = th.replies.length ? html`<ol class="comment-replies">${th.replies.map((r) => html`<li>${commentHtml(c, r)}</li>`)}</ol>` : null;
    const refused = refusedFrom(c, (f) => f.kind === 'post' && f.parent === th.id);
    const reply = c.mayWrite
      ? html`<details class="comment-reply"${refused ? html` open` : null}><summary>${t('comments.reply')}</summary>${textForm(c, 'post', { parent: th.id }, t('comments.replyLabel'), t('comments.sendReply'), '', refused)}</details>` : null;
    const resolve = th.mayResolve
      ? buttonForm(c, { _action: th.resolved ? 'reopen' : 'resolve', id: th.id }, html`<button class="small" type="submit">${th.resolved ? t('comments.reopen') : t('comments.resolve')}</button>`) : null;
    return html`<li class="comment-thread${th.resolved ? ' resolved' : ''}" data-thread="${th.id}">${badge}${commentHtml(c, th)}${replies}<div class="thread-actions">${reply}${resolve}</div></li>`;
  })}</ol>`;
}

/** The comments section of a page the viewer may read (the caller has checked). */
export async function pageCommentsHtml(viewer: Viewer | null, lang: Lang, space: Space, page: LivePage, query: URLSearchParams): Promise<SafeHtml> {
  const t = translator(lang);
  await prepareCommentCharts(viewer, page.id);
  const threads = threadsOf(viewer, space, page.id, lang);
  const count = threads.reduce((n, th) => n + (th.deleted ? 0 : 1) + th.replies.length, 0);
  const reason = query.get('commentError');
  const error = reason && COMMENT_REFUSALS.includes(reason as CommentRefusal) ? t(`comments.error.${reason}` as MessageKey) : '';
  const mayWrite = viewer !== null && !viewer.readOnly && can(viewer, 'contribute', space); // not in an archived space
  // After a refused post without JavaScript: the text goes back into its form, which says why.
  const kept = error && viewer ? refusedOn(viewer.id, space.key, page.path) : undefined;
  const refused = kept && mayWrite ? { form: kept.form, markdown: kept.markdown, error } : undefined;
  const refusedHere = refused?.form.kind === 'post' && refused.form.parent === null ? refused : undefined;
  const refusedInThreads = refused && !refusedHere && threads.some((th) => [th, ...th.replies].some((x) => refused.form.kind === 'edit' ? x.id === refused.form.id && x.mayEdit : refused.form.parent === th.id));
  const c: Context = { space: space.key, path: page.path, lang, mayWrite, refused: refusedInThreads ? refused : undefined };
  const box = mayWrite
    ? html`<form id="comment-new" class="form comment-new" method="post" action="/forms/comments" data-comment-form="post">${hidden({ _action: 'post', space: space.key, path: page.path })}<p class="notice error comment-error" role="alert"${refusedHere ? null : html` hidden`}>${refusedHere?.error}</p><label>${t('comments.label')}<textarea name="markdown" rows="4" required maxlength="${MAX_COMMENT_CHARS}" data-mention-space="${c.space}">\n${refusedHere?.markdown}</textarea></label><div class="buttons"><button class="primary" type="submit">${t('comments.post')}</button></div></form>`
    : null;
  return html`<section id="comments" class="comments" aria-labelledby="comments-title" data-comments data-space="${space.key}" data-path="${page.path}" data-strings="${JSON.stringify(refusalStrings(t))}"><h2 id="comments-title">${t('comments.title')}${count > 0 ? html` <span class="meta">(${count})</span>` : null}</h2>${error && !refusedHere && !refusedInThreads ? html`<p class="notice error" role="alert">${error}</p>` : null}${threads.length === 0 ? html`<p class="meta">${t('comments.none')}</p>` : threadsHtml(threads, c)}${box}</section>`;
}
