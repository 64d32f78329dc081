// npm start: migrate, start search, import the demo content into an empty database,
// create the first admin, then serve. Ctrl-C / SIGTERM stop everything cleanly.
import './lib/memory-settings.ts'; // first: it may start this process again with its settings
import { spawn } from 'node:child_process';
import path from 'node:path';
import { ensureFirstAdmin } from '../src/server/auth/first-admin.ts';
import { dataDir } from '../src/server/config.ts';
import { closeDb } from '../src/server/db.ts';
import { migrateDatabase } from '../src/server/db-migrate.ts';
import { removeAbandonedImports } from '../src/server/content-io/import-archive.ts';
import { upgradeStoredHtml } from '../src/server/pages/upgrade-stored-html.ts';
import { serveSearch } from '../src/server/meili/connect.ts';
import { startIndexer } from '../src/server/search/indexer.ts';
import { segmenter } from '../src/server/search/task-query.ts';
import { startWebhookDelivery } from '../src/server/notify/deliver.ts';
import { startDueReminders } from '../src/server/notify/due-reminders.ts';
import { startReviewReminders } from '../src/server/notify/review-reminders.ts';
import { startDigests } from '../src/server/mail/digest.ts';
import { mailSettings, startMailDelivery } from '../src/server/mail/send.ts';
import { listSpaces } from '../src/server/spaces/spaces.ts';
import { formatMemoryReport, memoryReport } from '../src/server/memory-report.ts';
import { ensureBuilt, root, serverEntry } from './lib/build.ts';
import { createHttpServer, type AppHandler } from './lib/http-server.ts';

const log = (m: string) => console.log(`[dossier] ${m}`);

process.on('SIGUSR2', () => log(formatMemoryReport(memoryReport())));
ensureBuilt(log);
const dir = dataDir();
process.env.DOSSIER_DATA_DIR = dir;
process.env.DOSSIER_ROOT = root; // where the bundled server finds its render worker
migrateDatabase();
const abandoned = removeAbandonedImports();
if (abandoned) log(`removed the folders of ${abandoned} ${abandoned === 1 ? 'import' : 'imports'} cut off when the server last stopped`);
// Bad mail settings stop the start here, before anything else runs.
if (mailSettings()) log('e-mail: on (DOSSIER_SMTP_URL)');
const upgraded = await upgradeStoredHtml();
if (upgraded) log(`rendered ${upgraded} pages and requirements again (links are now resolved for each reader)`);
const search = await serveSearch(dir, log);
log(`search: ${process.env.MEILI_URL ? 'external Meilisearch' : 'embedded Meilisearch'} at ${search.url}`);

// An empty database gets the first admin, then the demo (scripts/lib/import-demo.ts, in a process
// of its own so that its memory goes back to the system when it is done).
const empty = listSpaces({ id: 0, email: '', name: '', admin: true, locale: null }).length === 0;
const firstAdmin = await ensureFirstAdmin(log);
if (empty) await importDemo(firstAdmin);
const indexer = startIndexer((m) => log(m));
const webhookDelivery = startWebhookDelivery({ log });
const dueReminders = startDueReminders(log);
const reviewReminders = startReviewReminders(log);
const mailDelivery = startMailDelivery({ log });
const digests = startDigests(log);

segmenter(); // loaded now rather than during someone's search
const { handler } = (await import(serverEntry)) as { handler: AppHandler };
const server = createHttpServer(handler, path.join(root, 'dist/client'));
server.listen(Number(process.env.PORT ?? 4321), process.env.HOST ?? 'localhost');
await new Promise<void>((resolve, reject) => {
  server.once('listening', resolve);
  server.once('error', reject);
});
const address = server.address() as import('node:net').AddressInfo;
const host = process.env.HOST && process.env.HOST !== '0.0.0.0' ? process.env.HOST : 'localhost';
log(`Dossier is running on http://${host}:${address.port}  (data in ${dir})`);

async function importDemo(adminId: number | null): Promise<void> {
  const child = spawn(process.execPath, [path.join(root, 'scripts/lib/import-demo.ts'), String(adminId ?? '')], { stdio: 'inherit' });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`The demo content could not be imported (exit code ${code})`);
}

let stopping = false;
async function stop(signal: string) {
  if (stopping) return;
  stopping = true;
  log(`${signal}: stopping…`);
  const closed = new Promise((resolve) => server.close(resolve));
  server.closeAllConnections();
  await closed;
  await indexer.stop();
  dueReminders.stop();
  reviewReminders.stop();
  digests.stop();
  await webhookDelivery.stop();
  await mailDelivery.stop();
  await search.stop();
  closeDb();
  log('stopped');
  process.exit(0);
}
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
