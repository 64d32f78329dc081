// Sends webhook deliveries after commit: an outbox consumer for kind 'webhook'. A save only wrote
// rows; here each delivery runs on its own with a timeout, a few in parallel (and at most two per
// webhook, so one slow receiver cannot take every slot), retrying network errors, 5xx and 429 with
// exponential backoff (or the receiver's Retry-After) until it gives up. Every attempt is logged
// on its webhook_deliveries row.
import http from 'node:http';
import https from 'node:https';
import { eq, sql } from 'drizzle-orm';
import { outbox, projects, requirementEvents, requirements, webhookDeliveries, webhooks } from '../../../db/schema.ts';
import { isRestricted, readableByEveryReaderOf, type SpaceRef } from '../access/index.ts';
import { defaultLocale } from '../config.ts';
import { db, prepared } from '../db.ts';
import { bookkeeping, claimable, completeOutbox, holdLeases, onOutboxWake, type Claimed } from '../outbox.ts';
import type { Category } from '../projects/workflow.ts';
import { withPageFor } from '../requirements/event-pages.ts';
import { buildRequest, publicEventData, requirementUrl, type ChatPerson, type Named, type OutgoingRequest, type Person, type WebhookEvent, type WebhookFormat } from './formats.ts';
import { assertDeliverableHost, BlockedTargetError, guardedLookup } from './ssrf.ts';

export interface DeliveryOptions {
  /** Deliveries in flight at once. */
  concurrency?: number;
  /** Deliveries in flight per webhook. */
  perWebhook?: number;
  /** Per request, connection to last byte. */
  timeoutMs?: number;
  /** Attempts before a delivery is marked failed. */
  maxAttempts?: number;
  /** First retry delay; each further retry waits 4× longer, up to maxDelayMs. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** How often due retries are looked for when nothing wakes the loop. */
  pollMs?: number;
  log?: (msg: string) => void;
}

const DEFAULTS = { concurrency: 8, perWebhook: 2, timeoutMs: 5000, maxAttempts: 8, baseDelayMs: 2000, maxDelayMs: 2 * 3600_000, pollMs: 1000 };
type Options = typeof DEFAULTS & { log: (msg: string) => void };

// How long a live process may hold a row; a dead process's leases lapse with its heartbeat (outbox.ts).
const LEASE_MS = 60_000;
const WAKE_DELAY_MS = 20;
const FLUSH_DELAY_MS = 25;
const MAX_ERROR = 500;

interface Target { deliveryId: number; webhookId: number; url: string; format: WebhookFormat; secret: string | null; active: boolean; archived: boolean; attempts: number; event: WebhookEvent }

const person = (u: { email: string | null; name: string | null } | undefined): Person | null => (u?.email ? { email: u.email, name: u.name ?? u.email } : null);
const chatPerson = (u: { email: string; name: string; larkOpenId: string | null; slackMemberId: string | null } | undefined): ChatPerson | null =>
  (u ? { email: u.email, name: u.name, larkOpenId: u.larkOpenId, slackMemberId: u.slackMemberId } : null);

/** The delivery with its webhook and the event as the receiver will see it; null when it is gone (webhook deleted). */
// Prepared once: a busy loop loads a target per delivery.
const targetRow = prepared((d) => d.select({ delivery: webhookDeliveries, hook: webhooks, event: requirementEvents, req: requirements, project: projects })
  .from(webhookDeliveries)
  .innerJoin(webhooks, eq(webhooks.id, webhookDeliveries.webhookId))
  .innerJoin(requirementEvents, eq(requirementEvents.id, webhookDeliveries.eventId))
  .innerJoin(requirements, eq(requirements.id, requirementEvents.requirementId))
  .innerJoin(projects, eq(projects.id, requirements.projectId))
  .where(eq(webhookDeliveries.id, sql.placeholder('id'))).prepare());
const personRow = prepared((d) => d.$client.prepare<[number], { email: string; name: string; larkOpenId: string | null; slackMemberId: string | null }>(
  'select email, name, lark_open_id as larkOpenId, slack_member_id as slackMemberId from users where id = ?'));
const nameByEmail = prepared((d) => d.$client.prepare<[string], string>('select name from users where email = ?').pluck());
const groupName = prepared((d) => d.$client.prepare<[number], string>('select name from groups where id = ?').pluck());
const spaceRef = prepared((d) => d.$client.prepare<[number], SpaceRef>('select id, visibility from spaces where id = ?'));
const workflow = prepared((d) => d.$client.prepare<[number, string], string>('select workflow from categories where project_id = ? and key = ?').pluck());

export function loadTarget(deliveryId: number): Target | null {
  const row = targetRow().get({ id: deliveryId });
  if (!row) return null;
  const personOf = (id: number | null) => (id === null ? null : person(personRow().get(id)));
  // Changes name people by email (edit.ts): chat messages show their names.
  const changes = Array.isArray(row.event.data.changes) ? (row.event.data.changes as { field: string; after: unknown }[]) : [];
  const names: Record<string, string> = {};
  for (const c of changes) if (c.field === 'assignee' && typeof c.after === 'string') names[c.after] = nameByEmail().get(c.after) ?? c.after;
  const group = row.req.groupId === null ? null : groupName().get(row.req.groupId) ?? null;
  const categoryJson = workflow().get(row.project.id, row.req.category);
  const category = categoryJson ? (JSON.parse(categoryJson) as Category) : undefined;
  const stateNames: Record<string, Named> = Object.fromEntries((category?.states ?? []).map((s) => [s.key, s.name]));
  const event: WebhookEvent = {
    deliveryId, eventId: row.event.id, event: row.event.kind,
    project: { key: row.project.key, name: row.project.name },
    requirement: {
      key: row.req.key, title: row.req.title, status: row.req.status, statusName: stateNames[row.req.status] ?? { en: row.req.status, zh: row.req.status },
      category: row.req.category, priority: row.req.priority, due: row.req.due, url: requirementUrl(row.project.key, row.req.key),
      done: category?.states.find((s) => s.key === row.req.status)?.done === true,
      assignee: row.req.assigneeId === null ? null : chatPerson(personRow().get(row.req.assigneeId)), group,
    },
    actor: personOf(row.event.actorId),
    at: new Date(row.event.at).toISOString(),
    // A chat group is every reader of the project at once: a page goes out only if all may read it.
    data: publicEventData(withPageFor(row.event.data, readableByEveryReaderOf(spaceRef().get(row.project.spaceId)!))),
    stateNames, categoryName: category?.name, names, lang: row.hook.language ?? defaultLocale(),
  };
  return {
    deliveryId, webhookId: row.hook.id, url: row.hook.url, format: row.hook.format, secret: row.hook.secret, active: row.hook.active, archived: row.project.archived,
    attempts: row.delivery.attempts,
    // A chat group is not one of a restricted requirement's people: it gets its key and a link only.
    event: isRestricted(row.req) ? withheld(event) : event,
  };
}

/** The event with nothing about the requirement but its key and link (formats.ts sends only those). */
function withheld(e: WebhookEvent): WebhookEvent {
  const { key, url } = e.requirement;
  return {
    ...e, actor: null, data: {}, stateNames: {},
    requirement: { key, url, restricted: true, title: '', status: '', statusName: { en: '', zh: '' }, category: '', priority: '', due: null, assignee: null, group: null, done: false },
  };
}

export interface HttpAnswer { status: number; retryAfter: string | null; body: string }

/** One HTTP POST through the SSRF-checking lookup; resolves with the status, rejects on network errors and timeouts. */
export function post(rawUrl: string, req: OutgoingRequest, timeoutMs: number, signal?: AbortSignal): Promise<HttpAnswer> {
  const url = new URL(rawUrl);
  assertDeliverableHost(url);
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.request(url, {
      method: 'POST', headers: { ...req.headers, 'content-length': String(Buffer.byteLength(req.body)) },
      lookup: guardedLookup as unknown as http.RequestOptions['lookup'], signal, agent: false,
    }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      // Keep the start of the answer for the log; drain the rest.
      res.on('data', (chunk: string) => { if (body.length < MAX_ERROR) body += chunk; });
      res.on('end', () => { clearTimeout(timer); resolve({ status: res.statusCode ?? 0, retryAfter: String(res.headers['retry-after'] ?? '') || null, body: body.slice(0, MAX_ERROR) }); });
      res.on('error', (err) => { clearTimeout(timer); reject(err); });
    });
    const timer = setTimeout(() => request.destroy(new Error(`no answer within ${timeoutMs / 1000} s`)), timeoutMs);
    request.on('error', (err) => { clearTimeout(timer); reject(err); });
    request.end(req.body);
  });
}

/** Retry-After as milliseconds (seconds or an HTTP date), or null. */
export function retryAfterMs(value: string | null, now = Date.now()): number | null {
  if (!value) return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

export function backoffMs(attempts: number, opts: Pick<Options, 'baseDelayMs' | 'maxDelayMs'>): number {
  const exact = Math.min(opts.maxDelayMs, opts.baseDelayMs * 4 ** Math.max(0, attempts - 1));
  return Math.round(exact * (0.8 + Math.random() * 0.4)); // jitter: receivers coming back are not hit all at once
}

type Outcome = { kind: 'delivered'; status: number } | { kind: 'failed'; status: number | null; error: string } | { kind: 'retry'; status: number | null; error: string; delayMs: number };

function classify(res: HttpAnswer, attempts: number, opts: Options): Outcome {
  if (res.status >= 200 && res.status < 300) return { kind: 'delivered', status: res.status };
  const error = `HTTP ${res.status}${res.body ? `: ${res.body.replace(/\s+/g, ' ').trim()}` : ''}`.slice(0, MAX_ERROR);
  const retryable = res.status >= 500 || res.status === 429 || res.status === 408;
  if (!retryable) return { kind: 'failed', status: res.status, error: res.status >= 300 && res.status < 400 ? `${error} (redirects are not followed)` : error };
  if (attempts >= opts.maxAttempts) return { kind: 'failed', status: res.status, error: `${error}; gave up after ${attempts} attempts` };
  const asked = retryAfterMs(res.retryAfter);
  return { kind: 'retry', status: res.status, error, delayMs: asked === null ? backoffMs(attempts, opts) : Math.min(asked, opts.maxDelayMs) };
}

export interface Attempted { row: Claimed; target: Target; outcome: Outcome; at: number }

/** Writes attempts to the delivery log and the outbox, several in one transaction. */
function record(done: Attempted[]): void {
  if (done.length === 0) return;
  const d = db();
  bookkeeping(() => {
    for (const { row, target, outcome, at: now } of done) {
      // The log counts every attempt; the outbox row only this sending's (a resend starts afresh).
      const attempts = target.attempts + 1;
      if (outcome.kind === 'retry') {
        d.update(webhookDeliveries).set({ attempts, lastAttemptAt: now, responseStatus: outcome.status, lastError: outcome.error, nextAttemptAt: now + outcome.delayMs })
          .where(eq(webhookDeliveries.id, target.deliveryId)).run();
        d.update(outbox).set({ attempts: row.attempts + 1, lastError: outcome.error, runAfter: now + outcome.delayMs, leaseUntil: 0 }).where(eq(outbox.id, row.id)).run();
      } else {
        d.update(webhookDeliveries).set({
          status: outcome.kind, attempts, lastAttemptAt: now, responseStatus: outcome.status, nextAttemptAt: null,
          lastError: outcome.kind === 'failed' ? outcome.error : null, deliveredAt: outcome.kind === 'delivered' ? now : null,
        }).where(eq(webhookDeliveries.id, target.deliveryId)).run();
        completeOutbox([row.id]);
      }
    }
  });
}

/**
 * Leases due webhook rows like claimOutbox does, skipping webhooks that already use all their
 * slots, so one slow receiver's backlog is not claimed and put back over and over.
 */
function claimWebhookRows(limit: number, fullWebhooks: number[]): (Claimed & { webhookId: number })[] {
  return bookkeeping(() => {
    const { where, params } = claimable(LEASE_MS);
    return db().$client.prepare<[typeof params & { full: string; limit: number }], Claimed & { webhookId: number | null }>(
      `update outbox set lease_until = @until, lease_owner = @owner where id in (
         select o.id from outbox o left join webhook_deliveries d on d.id = cast(o.subject as integer)
         where o.kind = 'webhook' and ${where}
           and (d.webhook_id is null or d.webhook_id not in (select value from json_each(@full)))
         order by o.id limit @limit)
       returning id, kind, subject, attempts, (select webhook_id from webhook_deliveries where id = cast(subject as integer)) as webhookId`,
    ).all({ ...params, full: JSON.stringify(fullWebhooks), limit }).map((r) => ({ ...r, webhookId: r.webhookId ?? 0 }));
  });
}

/** Puts a claimed row back without counting an attempt (shutting down, or its webhook is busy). */
function putBack(row: Claimed, delayMs: number): void {
  bookkeeping(() => db().update(outbox).set({ leaseUntil: 0, runAfter: Date.now() + delayMs }).where(eq(outbox.id, row.id)).run());
}

const errorText = (err: unknown) => (err instanceof Error ? err.message || (err as NodeJS.ErrnoException).code || err.name : String(err)).slice(0, MAX_ERROR);

/** One attempt of one claimed delivery: what happened, to be recorded (null when aborted by a shutdown). */
export async function attempt(row: Claimed, target: Target, opts: Options, signal?: AbortSignal): Promise<Attempted | null> {
  const attempts = row.attempts + 1; // of this sending: a resend from the log gets the full number of retries again
  let outcome: Outcome;
  if (!target.active || target.archived) {
    outcome = { kind: 'failed', status: null, error: target.archived ? 'the project is archived' : 'the webhook is disabled' };
  } else {
    try {
      const res = await post(target.url, buildRequest(target.format, target.event, target.secret), opts.timeoutMs, signal);
      outcome = classify(res, attempts, opts);
    } catch (err) {
      if (signal?.aborted) { putBack(row, 0); return null; }
      const error = errorText(err);
      if (err instanceof BlockedTargetError) outcome = { kind: 'failed', status: null, error };
      else if (attempts >= opts.maxAttempts) outcome = { kind: 'failed', status: null, error: `${error}; gave up after ${attempts} attempts` };
      else outcome = { kind: 'retry', status: null, error, delayMs: backoffMs(attempts, opts) };
    }
  }
  return { row, target, outcome, at: Date.now() };
}

/** The delivery loop of a running server (or a test): wakes on commits, polls for due retries. */
export function startWebhookDelivery(options: DeliveryOptions = {}): { stop(): Promise<void> } {
  const opts: Options = { ...DEFAULTS, log: console.error, ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) };
  const abort = new AbortController();
  const release = holdLeases(opts.log);
  const inFlight = new Map<Promise<void>, number>(); // attempt → its webhook id
  let stopped = false;
  let wake: (() => void) | undefined;
  // A commit wakes the loop a moment later, not at once: the request that committed answers first,
  // and a burst of saves is claimed in one go.
  let pending: NodeJS.Timeout | undefined;
  const unsubscribe = onOutboxWake(() => { pending ??= setTimeout(() => { pending = undefined; wake?.(); }, WAKE_DELAY_MS); });
  const sleep = (ms: number) => new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    wake = () => { clearTimeout(timer); resolve(); };
  });

  // Finished attempts are written together a moment later: one disk sync for many deliveries.
  const finished: Attempted[] = [];
  let flushTimer: NodeJS.Timeout | undefined;
  const flush = () => {
    flushTimer = undefined;
    const batch = finished.splice(0);
    try {
      record(batch);
    } catch (err) {
      // Not recorded: the rows' leases run out and they are tried again (receivers dedupe by X-Dossier-Delivery).
      opts.log(`webhook delivery log write failed: ${errorText(err)}`);
    }
  };

  function start(row: Claimed & { webhookId: number }): void {
    const target = loadTarget(Number(row.subject));
    if (!target) { completeOutbox([row.id]); return; } // its webhook was deleted
    const p: Promise<void> = attempt(row, target, opts, abort.signal)
      .then((done) => {
        if (done) { finished.push(done); flushTimer ??= setTimeout(flush, FLUSH_DELAY_MS); }
      })
      .catch((err) => { opts.log(`webhook delivery ${target.deliveryId}: ${errorText(err)}`); })
      .then(() => { inFlight.delete(p); wake?.(); });
    inFlight.set(p, target.webhookId);
  }

  const loop = (async () => {
    while (!stopped) {
      let started = 0;
      try {
        const free = opts.concurrency - inFlight.size;
        if (free > 0) {
          const perHook = new Map<number, number>();
          for (const id of inFlight.values()) perHook.set(id, (perHook.get(id) ?? 0) + 1);
          const full = [...perHook].filter(([, n]) => n >= opts.perWebhook).map(([id]) => id);
          for (const row of claimWebhookRows(free, full)) {
            // Several rows of one webhook in a batch: only as many as it has slots; the rest wait their turn.
            const n = perHook.get(row.webhookId) ?? 0;
            if (n >= opts.perWebhook) { putBack(row, 0); continue; }
            perHook.set(row.webhookId, n + 1);
            start(row);
            started++;
          }
        }
      } catch (err) {
        opts.log(`webhook delivery loop: ${errorText(err)}`);
      }
      if (stopped) break;
      // Never spin: without new work (or without a free slot) wait for a wake-up or the next poll.
      if (started === 0 || inFlight.size >= opts.concurrency) await sleep(opts.pollMs);
      else await new Promise((resolve) => setImmediate(resolve));
    }
  })();

  return {
    async stop() {
      stopped = true;
      unsubscribe();
      clearTimeout(pending);
      wake?.();
      await loop;
      abort.abort();
      await Promise.all(inFlight.keys());
      clearTimeout(flushTimer);
      flush();
      release();
    },
  };
}

