// `@` mentions in a comment's HTML, marked when it is shown (the stored HTML holds the text as
// typed): a mention of a person who may read the space now becomes a styled element with their
// current name; an unknown `@word`, or someone who left or lost access, stays plain text. What is
// marked depends on the space's readers, not on who views it.
import type { SpaceRef } from '../access/index.ts';
import { escapeHtml } from '../html.ts';
import { findMentions, type Person } from './mentions.ts';

// Stored HTML as the renderer writes it: text never holds a raw `<` and attribute values hold no
// `<` or `>` (src/server/markdown/render.ts), so splitting at tags is exact.
const TAG = /(<[^>]*>)/;
// No mention inside a link (it goes elsewhere already) or code (it is literal there).
const VERBATIM = /^<(\/?)(a|code|pre)[\s>]/i;

// "@ann@example.com" is written as an `@` and an autolinked email.
const EMAIL_MENTION = /(?<![\p{L}\p{N}_.+-])@<a href="mailto:[^"]*">([^<]*)<\/a>/gu;

const mark = (person: Person) => `<span class="mention">@${escapeHtml(person.name)}</span>`;

export function withMentions(space: SpaceRef, html: string): string {
  if (!html.includes('@')) return html;
  return marked(space, html).replace(EMAIL_MENTION, (link, email: string) => {
    const [m] = findMentions(space, `@${email}`);
    return m && m.end === email.length + 1 ? mark(m.person) : link;
  });
}

/** Mentions by name in the text between tags. */
function marked(space: SpaceRef, html: string): string {
  let verbatim = 0;
  return html.split(TAG).map((part, i) => {
    if (i % 2 === 1) {
      const tag = VERBATIM.exec(part);
      if (tag) verbatim = Math.max(0, verbatim + (tag[1] ? -1 : 1));
      return part;
    }
    if (verbatim > 0 || !part.includes('@')) return part;
    let out = '';
    let at = 0;
    for (const m of findMentions(space, part)) {
      out += part.slice(at, m.start) + mark(m.person);
      at = m.end;
    }
    return out + part.slice(at);
  }).join('');
}
