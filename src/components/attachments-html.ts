// A page's attachments (name, size, uploader, date, download) with, for its editors, a delete
// button per file and a plain upload form (file picker + submit; with JavaScript,
// src/client/attachments.ts shows progress and stays on the page). A string, as
// page-actions-html.ts says why.
import { html, type SafeHtml } from '@remix-run/html-template';
import { formatDate, translator, type Lang } from '../i18n/index.ts';
import { can, type Viewer } from '../server/access/index.ts';
import { attachmentsInCurrentText, listPageAttachments } from '../server/attachments/attachments.ts';
import { isInlineImage } from '../server/attachments/types.ts';
import { UPLOAD_REFUSALS, type UploadRefusal } from '../server/attachments/upload.ts';
import { maxUploadBytes } from '../server/config.ts';
import type { Space } from '../server/spaces/spaces.ts';
import { uploadRefusalWords } from './upload-refusals.ts';

const UNITS = ['kilobyte', 'megabyte', 'gigabyte'] as const;

function size(lang: Lang, bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const i = Math.min(UNITS.length, Math.floor(Math.log(bytes) / Math.log(1024)));
  return new Intl.NumberFormat(lang, { style: 'unit', unit: UNITS[i - 1]!, unitDisplay: 'short', maximumFractionDigits: 1 }).format(bytes / 1024 ** i);
}

export function attachmentListHtml(viewer: Viewer | null, lang: Lang, space: Space, path: string, pageId: number, query: URLSearchParams): SafeHtml {
  const t = translator(lang);
  const files = listPageAttachments(pageId);
  const editor = can(viewer, 'edit', space);
  // Deleting a file the text still links to leaves a broken link or image: the confirmation says so.
  const inText = editor ? attachmentsInCurrentText(pageId) : new Set<number>();
  const uploadUrl = `/api/v1/attachments/${encodeURIComponent(space.key)}${path ? `/${path.split('/').map(encodeURIComponent).join('/')}` : ''}`;
  // A refused upload without JavaScript comes back here with ?uploadError=<reason> (a fixed reason).
  const refusal = query.get('uploadError');
  const words = uploadRefusalWords(lang);
  const refused = refusal && UPLOAD_REFUSALS.includes(refusal as UploadRefusal) ? t('attachments.refused', { why: words[`attachments.why.${refusal}`]! }) : '';
  const item = (f: (typeof files)[number]) => {
    const image = isInlineImage(f.type);
    const remove = editor
      ? html` <button type="button" class="linkish danger" data-delete-attachment="/api/v1/attachments/${f.id}" data-confirm="${t(inText.has(f.id) ? 'attachments.confirmDeleteUsed' : 'attachments.confirmDelete', { name: f.name })}" aria-label="${t('attachments.deleteLabel', { name: f.name })}">${t('attachments.delete')}</button>`
      : null;
    return html`<li data-attachment="${f.id}"><span class="file"><a href="${f.url}"${image ? null : html` download="${f.name}"`}>${f.name}</a>${image ? html` <a class="meta" href="${f.url}?original=1" aria-label="${t('attachments.originalLabel', { name: f.name })}">(${t('attachments.original')})</a>` : null} <span class="meta">${t('attachments.by', { size: size(lang, f.size), who: f.uploader ?? t('attachments.someone'), date: formatDate(lang, Date.parse(f.createdAt)) })}</span></span>${remove}</li>`;
  };
  const upload = editor ? html`<form class="upload-form" method="post" enctype="multipart/form-data" action="${uploadUrl}?back=1" data-upload="${uploadUrl}" data-progress="${t('attachments.uploading', { percent: '{percent}' })}" data-refused="${t('attachments.refused', { why: '{why}' })}" data-strings="${JSON.stringify(words)}">
<label>${t('attachments.upload')} <input type="file" name="file" required /></label>
<button type="submit">${t('attachments.uploadSubmit')}</button>
<p class="meta">${t('attachments.uploadHint', { mb: Math.round(maxUploadBytes() / 1024 / 1024) })}</p>
<p class="meta" role="status" aria-live="polite" data-upload-status></p>
<p class="notice error" role="alert" data-upload-error hidden></p>
</form>` : null;
  return html`<section id="attachments" class="backlinks attachments" aria-labelledby="attachments-title" data-testid="attachments">
<h2 id="attachments-title">${t('attachments.title')}${files.length > 0 ? ` (${files.length})` : null}</h2>${refused ? html`<p class="notice error" role="alert" data-testid="upload-refused">${refused}</p>` : null}
${files.length === 0 ? html`<p class="meta">${t('attachments.none')}</p>` : html`<ul class="attachment-list">${files.map(item)}</ul>`}${upload}
</section>`;
}
