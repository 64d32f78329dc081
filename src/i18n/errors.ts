// Refusals the server names by a `code` besides its English `error` (link caps: src/server/markdown/
// link-caps.ts), in both languages: the page form says them, and the editor gets them among its strings.
const en = {
  'error.tooManyPageLinks': 'A page may link to at most {max} different pages ([[…]]). Remove some links and try again.',
  'error.tooManyKeys': 'A page may mention at most {max} different requirement keys. Remove some and try again.',
  'error.tooManyLinks': 'A page may hold at most {max} links, URLs and requirement keys in all. Remove some and try again.',
} as const;

export const errorMessages = { en, zh: {
  'error.tooManyPageLinks': '一个页面最多可链接 {max} 个不同的页面（[[…]]）。请删掉一些链接后重试。',
  'error.tooManyKeys': '一个页面最多可提及 {max} 个不同的需求编号。请删掉一些后重试。',
  'error.tooManyLinks': '一个页面最多可包含共 {max} 个链接、网址和需求编号。请删掉一些后重试。',
} satisfies Record<keyof typeof en, string> };
