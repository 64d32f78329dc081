// The words for each reason an upload is refused (UPLOAD_REFUSALS), in the reader's language with
// the configured limit in MB: for the page's upload form and, as strings, for the browser scripts.
import type { translator } from '../i18n/index.ts';
import { UPLOAD_REFUSALS } from '../server/attachments/upload.ts';
import { maxUploadBytes } from '../server/config.ts';

export function uploadRefusalWords(t: ReturnType<typeof translator>): Record<`attachments.why.${string}`, string> {
  const mb = Math.round(maxUploadBytes() / 1024 / 1024);
  return Object.fromEntries(UPLOAD_REFUSALS.map((r) => [`attachments.why.${r}`, t(`attachments.why.${r}`, { mb })]));
}
