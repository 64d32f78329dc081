// The actions above a page, each shown only when the viewer may use it (pageControls, the rule the
// server applies); Delete opens its confirmation in a dialog, which is also the ?delete screen.
// HTML strings with escaping by default (@remix-run/html-template) rather than Astro components:
// every page view shows these parts, and a component costs a view several times what a string does
// (as for the tree and the comments: tree-html.ts, comments-html.ts).
import { html, type SafeHtml } from '@remix-run/html-template';
import { translator, type Lang } from '../i18n/index.ts';
import type { SpaceControls } from '../server/access/index.ts';
import { confirmDialogButtonHtml } from './confirm-dialog-html.ts';

interface DeleteConfirm { title: string; action: string; cancelHref: string; hasChildren: boolean; headingId: string }

/** "Delete this page?" with its form. */
export function deleteConfirmHtml(lang: Lang, { title, action, cancelHref, hasChildren, headingId }: DeleteConfirm): SafeHtml {
  const t = translator(lang);
  return html`<section class="panel confirm" aria-labelledby="${headingId}" data-testid="delete-confirm">
<h2 id="${headingId}">${t('controls.delete.title', { title })}</h2>
<p>${t('controls.delete.explain')}</p>${hasChildren ? html`<p>${t('controls.delete.childrenStay')}</p>` : null}
<form method="post" action="${action}"><input type="hidden" name="_action" value="delete" />
<div class="buttons"><button class="danger" type="submit">${t('controls.delete.submit')}</button><a class="button" href="${cancelHref}" data-dialog-close>${t('controls.cancel')}</a></div>
</form></section>`;
}

interface Actions { controls: SpaceControls; pageHref: string; isHome: boolean; title: string; hasChildren: boolean }

export function pageActionsHtml(lang: Lang, { controls, pageHref, isHome, title, hasChildren }: Actions): SafeHtml {
  const t = translator(lang);
  const remove = controls.delete && !isHome
    ? confirmDialogButtonHtml({ href: `${pageHref}?delete`, dialogId: 'delete-dialog', label: t('page.delete') },
      deleteConfirmHtml(lang, { title, action: pageHref, cancelHref: pageHref, hasChildren, headingId: 'delete-dialog-title' }))
    : null;
  // Anyone who may read the page may take it along (the API checks the same); the home page's is the whole space's.
  const exportLink = html`<a class="button" href="${pageHref.replace(/^\/s\//, '/api/v1/exports/')}" download data-testid="export" title="${t(isHome ? 'page.exportHelp' : 'page.exportPagesHelp')}">${t(isHome ? 'page.exportSpace' : 'page.export')}</a>`;
  return html`<div class="actions">${controls.edit ? html`<a class="button primary" href="${pageHref}?edit">${t('page.edit')}</a>` : null}<a class="button" href="${pageHref}?history">${t('page.history')}</a>${controls.create ? html`<a class="button" href="${pageHref}?new">${t('page.newChild')}</a>` : null}${controls.move && !isHome ? html`<a class="button" href="${pageHref}?move">${t('page.move')}</a>` : null}${exportLink}${remove}</div>`;
}
