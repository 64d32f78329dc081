// rehype-raw re-parses the whole tree through parse5 to bring raw HTML in; most pages have none,
// and skipping the pass for them roughly halves render time on the corpus.
import type { Root } from 'hast';
import { raw } from 'hast-util-raw';
import type { VFile } from 'vfile';
import { EXIT, visit } from 'unist-util-visit';

export function rehypeRawWhenNeeded() {
  return function transform(tree: Root, file: VFile): Root {
    let hasRaw = false;
    visit(tree, 'raw', () => {
      hasRaw = true;
      return EXIT;
    });
    return hasRaw ? (raw(tree, { file }) as Root) : tree;
  };
}
