// The demo's search synonyms: `_synonyms.txt` at the top of the content folder holds the list a
// company's admin keeps on /admin/synonyms (one group per line, words separated by commas: its own
// words in both languages, 报销 = reimbursement = expenses). A new demo site starts with it.
import fs from 'node:fs';
import path from 'node:path';
import { firstSiteAdmin } from '../auth/first-admin.ts';
import { setSynonyms, synonymLines } from '../search/synonyms.ts';

const SYNONYMS_FILE = '_synonyms.txt';

/** Applies the content folder's synonym list, as the first admin; the number of groups, 0 without one. */
export async function seedSynonyms(contentDir: string): Promise<number> {
  const file = path.join(contentDir, SYNONYMS_FILE);
  const admin = firstSiteAdmin();
  if (!admin || !fs.existsSync(file)) return 0;
  return (await setSynonyms(admin, synonymLines(fs.readFileSync(file, 'utf8')))).length;
}
