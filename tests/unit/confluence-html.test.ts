// Confluence's HTML export made Markdown (content-io/confluence-html.ts): an index that lists a page
// twice, once under its own child (a loop), places it once, where it first appears.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { confluenceToMarkdown } from '../../src/server/content-io/confluence-html.ts';

const page = (body: string) => `<html><body><div id="main-content">${body}</div></body></html>`;

describe("Confluence's page tree", () => {
  it('places a page listed twice once, where it first appears', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-confluence-'));
    fs.writeFileSync(path.join(dir, 'index.html'), `<html><body><div class="pageSection"><ul>
      <li><a href="A_1.html">A</a><ul><li><a href="B_2.html">B</a><ul><li><a href="A_1.html">A</a></li></ul></li></ul></li>
      <li><a href="C_3.html">C</a></li></ul></div></body></html>`);
    for (const [file, text] of [['A_1.html', 'a'], ['B_2.html', 'b'], ['C_3.html', 'c']]) fs.writeFileSync(path.join(dir, file!), page(`<p>${text}</p>`));
    const out = path.join(dir, 'out');
    expect(await confluenceToMarkdown(dir, out)).toBe(3);
    expect(fs.readdirSync(out, { recursive: true, encoding: 'utf8' }).sort()).toEqual(['A', 'A.md', 'A/B.md', 'C.md']);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
