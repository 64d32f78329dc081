// A danger button whose confirmation opens in a dialog (client/dialogs.ts); without JavaScript it
// goes to `href`, where the same confirmation takes the page's place. The confirmation's heading
// has the id `${dialogId}-title`.
import { html, type SafeHtml } from '@remix-run/html-template';

interface Props { href: string; dialogId: string; label: string; testid?: string | undefined }

export function confirmDialogButtonHtml({ href, dialogId, label, testid }: Props, confirmation: SafeHtml): SafeHtml {
  const test = testid ? html` data-testid="${testid}"` : null;
  return html`<a class="button danger" href="${href}" data-opens-dialog="${dialogId}"${test}>${label}</a><dialog id="${dialogId}" class="confirm-dialog" aria-labelledby="${dialogId}-title">${confirmation}</dialog>`;
}
