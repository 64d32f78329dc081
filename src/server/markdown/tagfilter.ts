// GFM's "disallowed raw HTML" (tagfilter): these tags are shown as text instead of parsed.
// Parsed, an unclosed `<script>` or `<textarea>` would swallow the rest of the page (and the
// sanitizer would then drop all of it); as text, "use the <script> tag" reads as written.
import type { Html, Root } from 'mdast';
import { visit } from 'unist-util-visit';

const FILTERED = /<(?=\/?(?:title|textarea|style|xmp|iframe|noembed|noframes|script|plaintext|noscript|template)(?:[\s/>]|$))/gi;

export function remarkTagfilter() {
  return function transform(tree: Root): undefined {
    visit(tree, 'html', (node: Html) => {
      node.value = node.value.replace(FILTERED, '&lt;');
    });
  };
}
