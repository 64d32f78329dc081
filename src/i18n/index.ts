// UI strings in English and Simplified Chinese. The language comes from the `lang` cookie
// (the switch in the header), else the user's setting, else Accept-Language.
import { en } from './en.ts';
import { zh } from './zh-CN.ts';
import { englishPlural, PLACEHOLDER } from './fill.ts';

export type Lang = 'en' | 'zh-CN';
export type MessageKey = keyof typeof en;
export const LANGS: Lang[] = ['en', 'zh-CN'];
/** For keys built at run time (a field or priority named in data): whether there is a string for it. */
export const MESSAGE_KEYS: ReadonlySet<string> = new Set(Object.keys(en));
const dictionaries: Record<Lang, Record<MessageKey, string>> = { en, 'zh-CN': zh };

export function pickLang(preferred: string | undefined | null, acceptLanguage: string | null): Lang {
  if (preferred === 'en' || preferred === 'zh-CN') return preferred;
  for (const part of (acceptLanguage ?? '').split(',')) {
    const tag = part.split(';')[0]!.trim().toLowerCase();
    if (tag.startsWith('zh')) return 'zh-CN';
    if (tag.startsWith('en')) return 'en';
  }
  return 'en';
}


/** `t(key, params)`: the message in `lang`; `t.lang` says which (for names kept in both languages). */
export function translator(lang: Lang) {
  const dict = dictionaries[lang];
  // A page view asks for ~100 messages, most without a placeholder: those skip the regular expression.
  const t = (key: MessageKey, params: Record<string, string | number> = {}) => {
    const text = dict[key];
    if (!text.includes('{')) return text;
    // A placeholder without its value is left as written, for a browser script to fill (fill.ts).
    return text.replace(PLACEHOLDER, (placeholder, name: string, one: string | undefined, other: string | undefined) => {
      const value = params[name];
      if (value === undefined) return placeholder;
      return one === undefined ? String(value) : englishPlural.select(Number(value)) === 'one' ? one : other!;
    });
  };
  return Object.assign(t, { lang });
}

const dateFormats = new Map(LANGS.map((l) => [l, new Intl.DateTimeFormat(l, { dateStyle: 'medium', timeStyle: 'short' })]));
// A time at exactly midnight UTC, to the millisecond, is a day given without a time (an imported
// "2025-03-14" is stored so): shown as that day, not as "12:00 AM" or the hour it is elsewhere.
const dayFormats = new Map(LANGS.map((l) => [l, new Intl.DateTimeFormat(l, { dateStyle: 'medium', timeZone: 'UTC' })]));
const DAY_MS = 86_400_000;

// Formatting costs microseconds (Intl) and a page view shows the same few dates again and again.
const formattedDates = new Map(LANGS.map((l) => [l, new Map<number, string>()]));

export function formatDate(lang: Lang, ms: number): string {
  const formatted = formattedDates.get(lang)!;
  let text = formatted.get(ms);
  if (text === undefined) {
    if (formatted.size >= 10_000) formatted.clear();
    text = (ms % DAY_MS === 0 ? dayFormats : dateFormats).get(lang)!.format(ms);
    formatted.set(ms, text);
  }
  return text;
}
