// npm test: every vitest project (unit, integration against real SQLite + Meilisearch, e2e in
// Chromium), then one plain closing line "N passed, N failed" that CI can read.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { root } from './lib/build.ts';

const report = path.join(root, 'test-results/vitest.json');
fs.rmSync(report, { force: true });
const run = spawnSync(process.execPath, [
  path.join(root, 'node_modules/vitest/vitest.mjs'), 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2),
], { cwd: root, stdio: 'inherit' });
let passed = 0;
let failed = 0;
if (fs.existsSync(report)) {
  const json = JSON.parse(fs.readFileSync(report, 'utf8')) as { numPassedTests: number; numFailedTests: number; numTotalTestSuites: number; testResults: { status: string }[] };
  passed = json.numPassedTests;
  // A file that failed to load counts as a failure even though none of its tests ran.
  failed = json.numFailedTests + json.testResults.filter((f) => f.status === 'failed').length * (json.numFailedTests === 0 ? 1 : 0);
}
if (run.status !== 0 && failed === 0) failed = 1;
console.log(`${passed} passed, ${failed} failed`);
process.exit(run.status === 0 && failed === 0 && passed > 0 ? 0 : 1);
