// The words for each reason an upload is refused (UPLOAD_REFUSALS), in the reader's language with
// the configured limit in MB: for the page's upload form and, as strings, for the browser scripts.
// Built once per language and limit: every page view of an editor shows them.
import { translator, type Lang } from '../i18n/index.ts';
import { UPLOAD_REFUSALS } from '../server/attachments/upload.ts';
import { maxUploadBytes } from '../server/config.ts';

type Words = Readonly<Record<`attachments.why.${string}`, string>>;
const built = new Map<string, Words>();

export function uploadRefusalWords(lang: Lang): Words {
  const mb = Math.round(maxUploadBytes() / 1024 / 1024);
  const key = `${lang} ${mb}`;
  let words = built.get(key);
  if (!words) {
    const t = translator(lang);
    words = Object.freeze(Object.fromEntries(UPLOAD_REFUSALS.map((r) => [`attachments.why.${r}`, t(`attachments.why.${r}`, { mb })])));
    built.set(key, words);
  }
  return words;
}
