// Below a page's title: "changed since your last visit" with a link to that diff, and the watch
// buttons (the page; on the space home also the whole space). Shown on the current revision's view
// only, where it also notes the visit (src/server/watching/last-seen.ts). A string, as
// page-actions-html.ts says why.
import { html, type SafeHtml } from '@remix-run/html-template';
import { translator, type Lang } from '../i18n/index.ts';
import type { Viewer } from '../server/access/index.ts';
import { pageHref } from '../server/markdown/href.ts';
import type { LivePage } from '../server/pages/get-page.ts';
import type { Space } from '../server/spaces/spaces.ts';
import { visitPage } from '../server/watching/last-seen.ts';
import { watchState } from '../server/watching/watches.ts';

export function pageWatchHtml(viewer: Viewer | null, lang: Lang, space: Space, page: LivePage): SafeHtml {
  const t = translator(lang);
  const seen = viewer ? visitPage(viewer.id, page.id, page.revision) : null;
  const changed = seen === null ? null
    : html`<p class="notice changed-since" role="status" data-testid="changed-since"><strong>${t('watch.changedSince')}</strong> · <a href="${pageHref(space.key, page.path)}?diff&amp;from=${seen}&amp;to=${page.revision}">${t('watch.showChanges', { from: seen, to: page.revision })}</a></p>`;
  if (!viewer || viewer.readOnly) return html`${changed}`;
  const watching = watchState(viewer, space.id, page.id);
  const form = (action: string, path: string, label: string) =>
    html`<form method="post" action="/forms/comments"><input type="hidden" name="_action" value="${action}" /><input type="hidden" name="space" value="${space.key}" /><input type="hidden" name="path" value="${path}" /><button class="small" type="submit">${label}</button></form>`;
  const pageForm = watching.page ? form('unwatch-page', page.path, t('watch.pageStop')) : form('watch-page', page.path, t('watch.page'));
  const spaceForm = page.path !== '' ? null : watching.space ? form('unwatch-space', '', t('watch.spaceStop')) : form('watch-space', '', t('watch.space'));
  const state = watching.space ? t('watch.watchingSpace') : watching.page ? t('watch.watchingPage') : null;
  return html`${changed}<div class="watch-bar">${pageForm}${spaceForm}${state === null ? null : html`<span class="meta">${state}</span>`}</div>`;
}
