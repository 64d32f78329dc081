// Due-date reminders: an hourly scan tells the people responsible for an open requirement that it
// is due within two days ('due-soon') or past due ('overdue'). Each kind is sent once per
// requirement and due date (due_reminders remembers), so moving the due date earns new reminders.
import { and, eq, isNotNull, isNull, lte } from 'drizzle-orm';
import { dueReminders, notifications, projects, requirements } from '../../../db/schema.ts';
import { write } from '../db.ts';
import { escalateOverdue } from '../desk/escalation.ts';
import { closeExpiredResolutions } from '../desk/resolution.ts';
import { queueMail } from '../mail/queue.ts';
import { mayRead, owners } from './notify-event.ts';

export const DUE_SOON_DAYS = 2;
const HOUR = 3600_000;

function scanInterval(): number {
  const minutes = Number(process.env.DOSSIER_SCAN_MINUTES);
  return Number.isFinite(minutes) && minutes >= 0.05 ? minutes * 60_000 : HOUR;
}

const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Sends the reminders due at `now`; returns how many notifications it wrote. */
export function sendDueReminders(now = Date.now()): number {
  const today = isoDate(now);
  const horizon = isoDate(now + DUE_SOON_DAYS * 24 * HOUR);
  return write((tx) => {
    const open = tx.select({ id: requirements.id, projectId: requirements.projectId, key: requirements.key, title: requirements.title, status: requirements.status, due: requirements.due, assigneeId: requirements.assigneeId, groupId: requirements.groupId })
      .from(requirements).innerJoin(projects, eq(projects.id, requirements.projectId))
      .where(and(isNull(requirements.closedAt), isNotNull(requirements.due), lte(requirements.due, horizon), eq(projects.archived, false))).all();
    let sent = 0;
    for (const req of open) {
      const due = req.due!;
      const kind = due < today ? 'overdue' : 'due-soon';
      const claimed = tx.insert(dueReminders).values({ requirementId: req.id, due, kind }).onConflictDoNothing().returning().get();
      if (!claimed) continue;
      const people = owners(tx, req);
      const readers = mayRead(tx, req, people);
      for (const userId of people.filter((id) => readers.has(id))) {
        const { id } = tx.insert(notifications).values({ userId, kind, requirementId: req.id, data: { key: req.key, title: req.title, status: req.status, due } }).returning({ id: notifications.id }).get();
        queueMail(tx, userId, kind, id);
        sent++;
      }
    }
    return sent;
  });
}

/** The periodic jobs: due reminders, SLA escalations (desk) and closing resolutions nobody answered (desk). */
const JOBS: [string, () => unknown][] = [['due reminders', sendDueReminders], ['SLA escalation', escalateOverdue], ['closing resolutions', closeExpiredResolutions]];

/** Runs the scan now and then every `everyMs` (DOSSIER_SCAN_MINUTES, else an hour) until stopped. */
export function startDueReminders(log: (msg: string) => void = console.error, everyMs = scanInterval()): { stop(): void } {
  const run = () => {
    for (const [name, job] of JOBS) {
      try { job(); } catch (err) { log(`${name} failed, will retry at the next scan: ${err instanceof Error ? err.message : String(err)}`); }
    }
  };
  run();
  const timer = setInterval(run, everyMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
