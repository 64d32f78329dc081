import fs from 'node:fs';
import path from 'node:path';
import { renderMarkdown } from './src/server/markdown/render.ts';
const walk = (d: string): string[] => fs.readdirSync(d, { withFileTypes: true }).flatMap((e) => e.isDirectory() ? walk(path.join(d, e.name)) : e.name.endsWith('.md') ? [path.join(d, e.name)] : []);
const files = walk('../shared/corpus/' + (process.env.SPACE ?? 'tldr')).slice(0, Number(process.env.N ?? 3000)).map((f) => fs.readFileSync(f, 'utf8'));
const t0 = performance.now();
for (const md of files) renderMarkdown(md, { space: 'x', resolve: () => null, projectKeys: new Set() });
console.log(((performance.now() - t0) / files.length).toFixed(2), 'ms/page');
