// npm run synonyms:cedict -- <cedict_ts.u8>: prints a starting synonym list {"groups": [...]} built
// from CC-CEDICT (src/server/search/cedict.ts), limited to words in this site's page titles,
// headings and text, ready to review and send with PUT /api/v1/synonyms (or paste on /admin/synonyms).
import fs from 'node:fs';
import { closeDb, db } from '../src/server/db.ts';
import { cedictSynonymGroups, parseCedict } from '../src/server/search/cedict.ts';
import { MAX_GROUPS } from '../src/server/search/synonyms.ts';

const file = process.argv[2];
if (!file || !fs.existsSync(file)) {
  console.error('usage: npm run synonyms:cedict -- <cedict_ts.u8>   (CC-CEDICT, https://www.mdbg.net/chinese/dictionary?page=cc-cedict)');
  process.exit(2);
}
// What the site uses: Chinese runs of 2-4 characters and English words, from every live page.
const zh = new Set<string>();
const en = new Set<string>();
const rows = db().$client.prepare<[], { title: string; text: string }>('select title, text from pages where deleted_at is null').iterate();
for (const { title, text } of rows) {
  const all = `${title}\n${text}`;
  for (const run of all.match(/\p{Script=Han}+/gu) ?? []) for (let n = 2; n <= 4; n++) for (let i = 0; i + n <= run.length; i++) zh.add(run.slice(i, i + n));
  for (const w of all.toLowerCase().match(/[a-z][a-z-]*[a-z]/g) ?? []) en.add(w);
}
closeDb();
const groups = cedictSynonymGroups(parseCedict(fs.readFileSync(file, 'utf8')), (w) => zh.has(w), (g) => g.split(' ').every((w) => en.has(w)));
console.error(`${groups.length} groups${groups.length > MAX_GROUPS ? ` (first ${MAX_GROUPS} kept, the most a site list holds)` : ''}`);
console.log(JSON.stringify({ groups: groups.slice(0, MAX_GROUPS) }, null, 1));
