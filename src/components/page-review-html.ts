// Under a page's title: its owner and review ("Verified by <name> · review by 2027-06-01", or
// "Review overdue" once past it), and for the page's owner and the space's admins the form that
// changes them (posted to /forms/page-review). A string, as page-actions-html.ts says why.
import { html, type SafeHtml } from '@remix-run/html-template';
import { translator, type Lang } from '../i18n/index.ts';
import type { Viewer } from '../server/access/index.ts';
import type { LivePage } from '../server/pages/get-page.ts';
import { mayManagePage, pageOwnership, reviewState } from '../server/pages/ownership.ts';
import type { Space } from '../server/spaces/spaces.ts';
import { reviewNotice } from './review-notice.ts';

export function pageReviewHtml(viewer: Viewer | null, lang: Lang, space: Space, page: Pick<LivePage, 'id' | 'path'>, query: URLSearchParams): SafeHtml {
  const t = translator(lang);
  const o = pageOwnership(page.id);
  const state = reviewState(o.reviewBy);
  const manage = mayManagePage(viewer, space, o.ownerId) && !viewer?.readOnly;
  const notice = reviewNotice(query);
  // An imported page may carry when it was reviewed (frontmatter `reviewed`) but not by whom.
  const verified = o.verifiedBy ? t('owners.verifiedBy', { name: o.verifiedBy.name })
    : o.verifiedAt ? t('owners.verifiedOn', { date: o.verifiedAt.slice(0, 10) }) : null;
  const review = o.reviewBy === null ? null
    : state === 'overdue' ? t('owners.overdueSince', { date: o.reviewBy })
    : verified ? t('owners.reviewBy', { date: o.reviewBy }) : t('owners.reviewByAlone', { date: o.reviewBy });
  const upcoming = review && state !== 'overdue' ? html`<span${state === 'soon' ? html` class="soon"` : null}>${review}</span>` : null;
  const owner = o.owner ? t('owners.ownerIs', { name: o.owner.active ? o.owner.name : `${o.owner.name} (${t('owners.inactive')})` }) : t('owners.noOwner');
  const line = html`<p class="review-line"><span class="owner">${owner}</span>${verified ? html`<span class="verified" data-testid="verified-badge">✓ ${verified}${upcoming ? html` · ${upcoming}` : null}</span>` : null}${state === 'overdue' ? html`<span class="overdue" data-testid="review-overdue">${review}</span>` : null}${!verified ? upcoming : null}</p>`;
  const said = notice ? html`<p class="${notice.error ? 'notice error' : 'notice'}" role="${notice.error ? 'alert' : 'status'}">${t(notice.key)}</p>` : null;
  const form = manage ? html`<details${notice?.error === true ? html` open` : null}><summary>${t('owners.manage')}</summary>
<form class="form review-form" method="post" action="/forms/page-review"><input type="hidden" name="space" value="${space.key}" /><input type="hidden" name="path" value="${page.path}" /><input type="hidden" name="currentOwner" value="${o.owner?.email ?? ''}" /><input type="hidden" name="currentReviewBy" value="${o.reviewBy ?? ''}" />
<div class="row even"><label>${t('owners.ownerEmail')}<input name="owner" type="email" value="${o.owner?.email ?? ''}" maxlength="254" autocomplete="off" /></label><label>${t('owners.reviewDate')}<input name="reviewBy" type="date" value="${o.reviewBy ?? ''}" min="2000-01-01" aria-describedby="review-help" /></label></div>
<p class="meta" id="review-help">${space.reviewIntervalDays ? t('owners.reviewDateHelp', { days: space.reviewIntervalDays }) : t('owners.reviewDateHelpNone')}</p>
<div class="buttons"><button class="primary" type="submit" name="_action" value="verify">${t('owners.markVerified')}</button><button type="submit" name="_action" value="save">${t('owners.save')}</button></div>
</form></details>` : null;
  return html`<div class="page-review" id="review" data-testid="page-review">${line}${said}${form}</div>`;
}
