// Refusals the server names by a `code` besides its English `error`, in both languages: pages say
// them through errorText (src/i18n/error-text.ts), browser scripts through src/client/refusal.ts.
// One registry: the link caps here (src/server/markdown/link-caps.ts), the refusals of page forms in
// src/i18n/errors-forms.ts. tests/unit/error-codes.test.ts checks that every code thrown under
// src/server has its words here, in both languages.
import { formErrorMessages } from './errors-forms.ts';

const linkCapsEn = {
  'error.tooManyPageLinks': 'A page may link to at most {max} different pages ([[…]]). Remove some links and try again.',
  'error.tooManyKeys': 'A page may mention at most {max} different requirement keys. Remove some and try again.',
  'error.tooManyLinks': 'A page may hold at most {max} links, URLs and requirement keys in all. Remove some and try again.',
} as const;

const linkCapsZh = {
  'error.tooManyPageLinks': '一个页面最多可链接 {max} 个不同的页面（[[…]]）。请删掉一些链接后重试。',
  'error.tooManyKeys': '一个页面最多可提及 {max} 个不同的需求编号。请删掉一些后重试。',
  'error.tooManyLinks': '一个页面最多可包含共 {max} 个链接、网址和需求编号。请删掉一些后重试。',
} satisfies Record<keyof typeof linkCapsEn, string>;

/** The refusals the editor's script may meet on its own requests (preview, draft): handed to it as its strings. */
export const editorErrorMessages = { en: linkCapsEn, zh: linkCapsZh };

const en = { ...linkCapsEn, ...formErrorMessages.en } as const;

export const errorMessages = { en, zh: { ...linkCapsZh, ...formErrorMessages.zh } satisfies Record<keyof typeof en, string> };
