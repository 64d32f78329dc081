// The editor's upload helpers: where an uploaded file's Markdown goes, and what a pasted image is called.
import { describe, expect, it } from 'vitest';
import { ownParagraph, pastedFileName } from '../../src/client/editor/uploads.ts';

describe('ownParagraph', () => {
  const place = (doc: string, at: number, md: string) => {
    const { insert, cursor } = ownParagraph(doc.slice(Math.max(0, at - 2), at), doc.slice(at, at + 2), md);
    return { doc: doc.slice(0, at) + insert + doc.slice(at), at: at + cursor };
  };

  it('puts each of several files in a paragraph of its own', () => {
    let state = { doc: '', at: 0 };
    for (const md of ['![a.jpg](/files/1/a.jpg)', '[b.svg](/files/2/b.svg)', '[c.pdf](/files/3/c.pdf)']) state = place(state.doc, state.at, md);
    expect(state.doc).toBe('![a.jpg](/files/1/a.jpg)\n\n[b.svg](/files/2/b.svg)\n\n[c.pdf](/files/3/c.pdf)');
  });

  it('splits a line it lands in, and adds no blank line where there is one', () => {
    expect(place('See this and that.', 8, '[x](/files/1/x)').doc).toBe('See this\n\n[x](/files/1/x)\n\n and that.');
    expect(place('Steps:\n', 7, '[x](/f)').doc).toBe('Steps:\n\n[x](/f)');
    expect(place('Steps:\n\n\n\nNext', 8, '[x](/f)').doc).toBe('Steps:\n\n[x](/f)\n\nNext');
    expect(place('Next', 0, '[x](/f)').doc).toBe('[x](/f)\n\nNext');
  });
});

describe('pastedFileName', () => {
  const at = new Date(2026, 11, 3, 18, 15, 2); // local time
  it('names a pasted image with the browser\'s generic name after the moment, with the real extension', () => {
    expect(pastedFileName({ name: 'image.png', type: 'image/png' }, at)).toBe('screenshot-20261203-181502.png');
    expect(pastedFileName({ name: 'image.png', type: 'image/jpeg' }, at)).toBe('screenshot-20261203-181502.jpg');
    expect(pastedFileName({ name: 'Pasted Image.tiff', type: '' }, at)).toBe('screenshot-20261203-181502.tiff');
    expect(pastedFileName({ name: '', type: 'image/webp' }, at)).toBe('screenshot-20261203-181502.webp');
  });

  it('keeps a real file name', () => {
    for (const name of ['vpn 对话框.png', 'image-2.png', 'images.png', 'report.pdf']) expect(pastedFileName({ name, type: 'image/png' }, at)).toBe(name);
  });
});
