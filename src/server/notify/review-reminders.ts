// Page review reminders (issue 11): the hourly scan tells a page's owner that its review is due
// within REVIEW_SOON_DAYS ('page-review-soon') or past due ('page-review-overdue'). Each kind is
// sent once per page and review date (review_reminders remembers), so a new date earns new ones.
// Runs beside the requirement due reminders (due-reminders.ts), the same way.
import { notifications, reviewReminders } from '../../../db/schema.ts';
import { spaceRole } from '../access/index.ts';
import { write } from '../db.ts';
import { addDays, isoDate, REVIEW_SOON_DAYS } from '../pages/ownership.ts';

const HOUR = 3600_000;

interface Due {
  pageId: number; reviewBy: string; spaceId: number; visibility: 'org' | 'restricted';
  ownerId: number; email: string; name: string; admin: number; locale: string | null;
}

/** Sends the reminders due at `now`; returns how many notifications it wrote. */
export function sendReviewReminders(now = Date.now()): number {
  const today = isoDate(now);
  return write((tx) => {
    // Live pages of unarchived spaces with an active owner and a review date within the horizon.
    const due = tx.$client.prepare<[string], Due>(
      `select p.id as pageId, p.review_by as reviewBy, s.id as spaceId, s.visibility, u.id as ownerId, u.email, u.name, u.admin, u.locale
       from pages p join spaces s on s.id = p.space_id join users u on u.id = p.owner_id
       where p.deleted_at is null and p.review_by is not null and p.review_by <= ? and s.archived = 0 and u.active = 1`,
    ).all(addDays(today, REVIEW_SOON_DAYS));
    let sent = 0;
    for (const page of due) {
      const kind = page.reviewBy < today ? 'page-review-overdue' : 'page-review-soon';
      // An owner who can no longer read the space hears nothing about it (the freshness view shows the page).
      const owner = { id: page.ownerId, email: page.email, name: page.name, admin: page.admin === 1, locale: page.locale };
      if (spaceRole(owner, { id: page.spaceId, visibility: page.visibility }) === null) continue;
      const claimed = tx.insert(reviewReminders).values({ pageId: page.pageId, reviewBy: page.reviewBy, kind }).onConflictDoNothing().returning().get();
      if (!claimed) continue;
      tx.insert(notifications).values({ userId: page.ownerId, kind, pageId: page.pageId, data: { reviewBy: page.reviewBy } }).run();
      sent++;
    }
    return sent;
  });
}

/** Runs the scan now and then every hour until stopped. */
export function startReviewReminders(log: (msg: string) => void = console.error, everyMs = HOUR): { stop(): void } {
  const run = () => {
    try { sendReviewReminders(); } catch (err) { log(`review reminders failed, will retry in an hour: ${err instanceof Error ? err.message : String(err)}`); }
  };
  run();
  const timer = setInterval(run, everyMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
