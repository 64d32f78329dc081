// GitHub's sanitize schema (hast-util-sanitize's default) plus what our own plugins emit.
import type { Root } from 'hast';
import { defaultSchema, type Options } from 'rehype-sanitize';
import { visit } from 'unist-util-visit';

type Definitions = NonNullable<NonNullable<Options['attributes']>[string]>;

const base = defaultSchema.attributes ?? {};
const anchorAttributes: Definitions = [
  // Drop the default `className` rule for `a` and add one that also allows our wiki-link classes.
  ...(base['a'] ?? []).filter((d) => !(Array.isArray(d) && d[0] === 'className')),
  ['className', 'data-footnote-backref', 'wikilink', 'missing', 'req-ref'],
  ['dataReq', /^[A-Z][A-Z0-9]{1,9}-[1-9]\d{0,8}$/],
  // A wiki link's target (wiki-links.ts): a space key, then percent-encoded text only.
  ['dataWiki', /^[a-z0-9-]{1,64}\/[\w.!~*'()%-]+(?:#[\w.!~*'()%-]+)?$/],
];

export const sanitizeSchema: Options = {
  ...defaultSchema,
  attributes: {
    ...base, a: anchorAttributes,
    // A chart block's placeholder (chart-blocks.ts): its URL-encoded spec, checked again when shown.
    div: [...(base['div'] ?? []), ['className', 'dossier-chart', 'dossier-chart-error'], ['dataChart', /^[\w.~*%+=&-]{1,4000}$/]],
  },
  // Elements removed with their content; anything else not allowed is unwrapped, which would
  // show CSS or script source as text.
  strip: [
    'script', 'style', 'template', 'textarea', 'title', 'noscript', 'iframe', 'noembed', 'noframes',
    'xmp', 'plaintext', 'object', 'embed', 'select',
  ],
};

const SAFE_URL = /^(?:https?:|[^:]*$|[^:]*[/?#])/i;

/**
 * The schema checks protocols of single URLs only; `srcset` holds a list (`a.png 1x, b.png 2x`).
 * Drop it when any candidate is not http(s) or relative.
 */
export function rehypeSafeSrcset() {
  return function transform(tree: Root): undefined {
    visit(tree, 'element', (node) => {
      const value = node.properties.srcSet;
      if (value === undefined) return;
      const candidates = (Array.isArray(value) ? value.join(',') : String(value)).split(',');
      if (!candidates.every((c) => SAFE_URL.test(c.trim().split(/\s+/)[0] ?? ''))) delete node.properties.srcSet;
    });
  };
}
