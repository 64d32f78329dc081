// The e-mails themselves, in the recipient's language (their setting, else the site default):
// one notification, or a day's digest. Lines come from the inbox (item-line.ts), links point back
// at PUBLIC_URL, and every header value is one clean line (address.ts).
import { MESSAGE_KEYS, translator, type Lang, type MessageKey } from '../../i18n/index.ts';
import { publicBaseUrl } from '../auth/public-url.ts';
import { defaultLocale } from '../config.ts';
import { escapeHtml } from '../html.ts';
import type { InboxItem } from '../notify/inbox.ts';
import { itemLine } from '../notify/item-line.ts';
import { headerText } from './address.ts';

export interface Recipient { email: string; name: string; locale: string | null }
export interface Composed { to: { name: string; address: string }; subject: string; text: string; html: string; lang: Lang }

export const langOf = (r: Recipient): Lang => (r.locale === 'en' || r.locale === 'zh-CN' ? r.locale : defaultLocale());

const link = (item: InboxItem) => `${publicBaseUrl()}${item.href ?? '/inbox'}`;
const subjectOf = (item: InboxItem) => [item.key, item.title].filter(Boolean).join(' ');

function footer(lang: Lang): { text: string; html: string } {
  const url = `${publicBaseUrl()}/account#notifications`;
  const t = translator(lang);
  return { text: `-- \n${t('mail.footer', { url })}`, html: `<p style="color:#666;font-size:12px">${escapeHtml(t('mail.footer', { url })).replace(escapeHtml(url), `<a href="${escapeHtml(url)}">${escapeHtml(url)}</a>`)}</p>` };
}

/** One notification by e-mail. */
export function composeItem(to: Recipient, item: InboxItem): Composed {
  const lang = langOf(to);
  const t = translator(lang);
  const line = itemLine(item, lang);
  const subject = headerText(t('mail.subject', { subject: subjectOf(item), kind: MESSAGE_KEYS.has(`inbox.kind.${item.kind}`) ? t(`inbox.kind.${item.kind}` as MessageKey) : item.kind }));
  const url = link(item);
  const f = footer(lang);
  return {
    to: { name: headerText(to.name), address: to.email }, subject, lang,
    text: `${line}\n\n${subjectOf(item)}\n${url}\n\n${f.text}\n`,
    html: `<!doctype html><html lang="${lang}"><body><p>${escapeHtml(line)}</p>`
      + `<p><a href="${escapeHtml(url)}">${escapeHtml(subjectOf(item))}</a></p>`
      + `<p><a href="${escapeHtml(url)}">${escapeHtml(t('mail.open'))}</a></p>${f.html}</body></html>`,
  };
}

/** A day's items in one e-mail, oldest first. */
export function composeDigest(to: Recipient, items: InboxItem[]): Composed {
  const lang = langOf(to);
  const t = translator(lang);
  const ordered = [...items].reverse();
  const f = footer(lang);
  return {
    to: { name: headerText(to.name), address: to.email }, lang,
    subject: headerText(t('mail.digestSubject', { n: items.length })),
    text: `${t('mail.digestIntro')}\n\n${ordered.map((i) => `* ${subjectOf(i)}\n  ${itemLine(i, lang)}\n  ${link(i)}`).join('\n\n')}\n\n${f.text}\n`,
    html: `<!doctype html><html lang="${lang}"><body><p>${escapeHtml(t('mail.digestIntro'))}</p><ul>`
      + ordered.map((i) => `<li><a href="${escapeHtml(link(i))}">${escapeHtml(subjectOf(i))}</a><br>${escapeHtml(itemLine(i, lang))}</li>`).join('')
      + `</ul>${f.html}</body></html>`,
  };
}
