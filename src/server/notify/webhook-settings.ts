// A project's webhooks as its admins manage them: add (URL checked against SSRF, secret shown
// once), list with a summary of recent deliveries, switch on/off or change the event filter,
// delete, read the delivery log and resend a delivery from it. Every change is audited.
import { randomBytes } from 'node:crypto';
import { z } from 'astro/zod';
import { and, desc, eq, lt, sql } from 'drizzle-orm';
import { requirementEvents, requirements, webhookDeliveries, webhooks } from '../../../db/schema.ts';
import type { Viewer } from '../access/index.ts';
import { appendAudit } from '../admin/audit.ts';
import { db, write } from '../db.ts';
import { badInput, conflict, notFound } from '../errors.ts';
import { parseInput } from '../http.ts';
import { enqueue, wakeOutbox } from '../outbox.ts';
import { loadProject } from '../projects/projects.ts';
import { EVENT_KINDS } from '../requirements/events.ts';
import type { WebhookFormat } from './formats.ts';
import { assertPublicTarget, parseWebhookUrl } from './ssrf.ts';

export const WEBHOOK_FORMATS: WebhookFormat[] = ['json', 'lark', 'lark-card', 'slack'];
const MAX_WEBHOOKS = 20;

const Events = z.array(z.string()).max(EVENT_KINDS.length).superRefine((events, ctx) => {
  const unknown = events.filter((e) => !(EVENT_KINDS as string[]).includes(e));
  if (unknown.length) ctx.addIssue({ code: 'custom', message: `unknown event ${unknown.map((e) => `"${e.slice(0, 40)}"`).join(', ')}; events are ${EVENT_KINDS.join(', ')}` });
});

// Chat messages' language; null (or left out) is the site default (DOSSIER_DEFAULT_LOCALE).
const Language = z.enum(['en', 'zh-CN'], { message: 'language is en, zh-CN or null (the site default)' }).nullable().optional();

const NewWebhook = z.object({
  url: z.string().min(1).max(2000),
  format: z.enum(['json', 'lark', 'lark-card', 'slack'], { message: 'format is json, lark, lark-card or slack' }),
  events: Events.optional(),
  language: Language,
  secret: z.string().trim().max(200).optional(),
});

const WebhookChange = z.object({ active: z.boolean().optional(), events: Events.optional(), language: Language });

export interface CreatedWebhook { id: number; url: string; format: WebhookFormat; events: string[]; language: 'en' | 'zh-CN' | null; active: boolean; secret?: string }

/** A URL as lists show it: chat webhook URLs carry their token in the path, so only its ends are shown. */
export function maskUrl(raw: string): string {
  const url = new URL(raw);
  const rest = url.pathname + url.search;
  return url.origin + (rest.length <= 16 ? rest : `${rest.slice(0, 12)}…${rest.slice(-4)}`);
}

const normalizeEvents = (events: string[] | undefined) => [...new Set(events ?? [])].sort((a, b) => EVENT_KINDS.indexOf(a as never) - EVENT_KINDS.indexOf(b as never));

export async function createWebhook(viewer: Viewer | null, projectKey: string, input: unknown): Promise<CreatedWebhook> {
  const { project } = loadProject(viewer, projectKey, 'admin');
  const v = parseInput(NewWebhook, input);
  const url = parseWebhookUrl(v.url);
  await assertPublicTarget(url);
  let secret = v.secret || null;
  if (secret && v.format === 'slack') throw badInput('secret: Slack incoming webhooks are not signed; leave the secret empty', { code: 'secretSlack' });
  if (secret && secret.length < 8) throw badInput('secret: at least 8 characters', { code: 'secretShort' });
  // The generic format is always signed: without a secret of its own it gets a generated one.
  const generated = !secret && v.format === 'json';
  if (generated) secret = randomBytes(32).toString('hex');
  const events = normalizeEvents(v.events);
  const hook = write((tx) => {
    const count = tx.select({ n: sql<number>`count(*)` }).from(webhooks).where(eq(webhooks.projectId, project.id)).get()!.n;
    if (count >= MAX_WEBHOOKS) throw badInput(`A project has at most ${MAX_WEBHOOKS} webhooks`, { code: 'tooManyWebhooks', max: MAX_WEBHOOKS });
    const row = tx.insert(webhooks).values({ projectId: project.id, url: url.href, format: v.format, events, language: v.language ?? null, secret, createdBy: viewer!.id }).returning().get();
    appendAudit(tx, viewer!, 'webhook.create', project.key, null, { id: row.id, url: maskUrl(row.url), format: row.format, events, language: row.language, signed: !!secret });
    return row;
  });
  return { id: hook.id, url: hook.url, format: hook.format, events: hook.events, language: hook.language, active: hook.active, ...(generated ? { secret: secret! } : {}) };
}

export interface DeliverySummary { delivered: number; failed: number; pending: number; last: { status: string; at: string; responseStatus: number | null; error: string | null } | null }
export interface WebhookListItem { id: number; url: string; format: WebhookFormat; events: string[]; language: 'en' | 'zh-CN' | null; active: boolean; signed: boolean; createdAt: string; recent: DeliverySummary }

const RECENT = 20;
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function recentSummary(webhookId: number): DeliverySummary {
  const rows = db().select({ status: webhookDeliveries.status, createdAt: webhookDeliveries.createdAt, lastAttemptAt: webhookDeliveries.lastAttemptAt, responseStatus: webhookDeliveries.responseStatus, lastError: webhookDeliveries.lastError })
    .from(webhookDeliveries).where(eq(webhookDeliveries.webhookId, webhookId)).orderBy(desc(webhookDeliveries.id)).limit(RECENT).all();
  const count = (s: string) => rows.filter((r) => r.status === s).length;
  const last = rows[0];
  return {
    delivered: count('delivered'), failed: count('failed'), pending: count('pending'),
    last: last ? { status: last.status, at: iso(last.lastAttemptAt ?? last.createdAt)!, responseStatus: last.responseStatus, error: last.lastError } : null,
  };
}

export function listWebhooks(viewer: Viewer | null, projectKey: string): WebhookListItem[] {
  const { project } = loadProject(viewer, projectKey, 'manage');
  return db().select().from(webhooks).where(eq(webhooks.projectId, project.id)).orderBy(webhooks.id).all().map((h) => ({
    id: h.id, url: maskUrl(h.url), format: h.format, events: h.events, language: h.language, active: h.active, signed: !!h.secret,
    createdAt: iso(h.createdAt)!, recent: recentSummary(h.id),
  }));
}

function hookOf(projectId: number, id: number) {
  const hook = Number.isSafeInteger(id) ? db().select().from(webhooks).where(and(eq(webhooks.id, id), eq(webhooks.projectId, projectId))).get() : undefined;
  if (!hook) throw notFound();
  return hook;
}

export function updateWebhook(viewer: Viewer | null, projectKey: string, id: number, input: unknown): WebhookListItem {
  const { project } = loadProject(viewer, projectKey, 'admin');
  const v = parseInput(WebhookChange, input);
  const before = hookOf(project.id, id);
  const change = { ...(v.active !== undefined ? { active: v.active } : {}), ...(v.events !== undefined ? { events: normalizeEvents(v.events) } : {}), ...(v.language !== undefined ? { language: v.language } : {}) };
  if (Object.keys(change).length) {
    write((tx) => {
      tx.update(webhooks).set(change).where(eq(webhooks.id, before.id)).run();
      appendAudit(tx, viewer!, 'webhook.update', project.key, { id, active: before.active, events: before.events, language: before.language }, { id, ...change });
    });
  }
  return listWebhooks(viewer, projectKey).find((h) => h.id === id)!;
}

export function deleteWebhook(viewer: Viewer | null, projectKey: string, id: number): void {
  const { project } = loadProject(viewer, projectKey, 'admin');
  const hook = hookOf(project.id, id);
  write((tx) => {
    // Its deliveries go with it (cascade); their outbox rows find nothing and are dropped.
    tx.delete(webhooks).where(eq(webhooks.id, hook.id)).run();
    appendAudit(tx, viewer!, 'webhook.delete', project.key, { id, url: maskUrl(hook.url), format: hook.format, events: hook.events }, null);
  });
}

export interface DeliveryLogEntry {
  id: number; event: string; requirement: string; status: 'pending' | 'delivered' | 'failed'; attempts: number;
  responseStatus: number | null; lastError: string | null; createdAt: string; lastAttemptAt: string | null; nextAttemptAt: string | null; deliveredAt: string | null;
  resentAt: string | null;
}

/** Delivery log rows of one webhook, newest first. */
function deliveryRows(webhookId: number, where: { before?: number; id?: number }, limit: number): DeliveryLogEntry[] {
  return db().select({ d: webhookDeliveries, kind: requirementEvents.kind, key: requirements.key }).from(webhookDeliveries)
    .innerJoin(requirementEvents, eq(requirementEvents.id, webhookDeliveries.eventId))
    .innerJoin(requirements, eq(requirements.id, requirementEvents.requirementId))
    .where(and(eq(webhookDeliveries.webhookId, webhookId), where.before ? lt(webhookDeliveries.id, where.before) : undefined, where.id !== undefined ? eq(webhookDeliveries.id, where.id) : undefined))
    .orderBy(desc(webhookDeliveries.id)).limit(limit).all()
    .map(({ d, kind, key }) => ({
      id: d.id, event: kind, requirement: key, status: d.status, attempts: d.attempts, responseStatus: d.responseStatus, lastError: d.lastError,
      createdAt: iso(d.createdAt)!, lastAttemptAt: iso(d.lastAttemptAt), nextAttemptAt: iso(d.nextAttemptAt), deliveredAt: iso(d.deliveredAt), resentAt: iso(d.resentAt),
    }));
}

/** The delivery log of one webhook, newest first; `before` (a delivery id) pages further back. */
export function listDeliveries(viewer: Viewer | null, projectKey: string, id: number, opts: { limit?: number; before?: number } = {}): DeliveryLogEntry[] {
  const { project } = loadProject(viewer, projectKey, 'manage');
  const hook = hookOf(project.id, id);
  const limit = Math.min(Math.max(Math.trunc(opts.limit ?? 50) || 50, 1), 200);
  return deliveryRows(hook.id, { before: opts.before }, limit);
}

/**
 * Sends a finished delivery (failed, or delivered and lost by the receiver) again: the same
 * delivery id (X-Dossier-Delivery) goes back to pending with a new outbox row, so the delivery
 * loop sends it after commit with a full set of retries; its attempts keep counting in the log.
 */
export function resendDelivery(viewer: Viewer | null, projectKey: string, id: number, deliveryId: number): DeliveryLogEntry {
  const { project } = loadProject(viewer, projectKey, 'admin');
  const hook = hookOf(project.id, id);
  const before = Number.isSafeInteger(deliveryId) ? deliveryRows(hook.id, { id: deliveryId }, 1)[0] : undefined;
  if (!before) throw notFound();
  if (before.status === 'pending') throw conflict('This delivery is still pending: it is sent (or retried) on its own', { code: 'deliveryPending' });
  if (!hook.active) throw conflict('This webhook is paused: resume it before resending', { code: 'webhookPaused' });
  write((tx) => {
    const now = Date.now();
    tx.update(webhookDeliveries).set({ status: 'pending', nextAttemptAt: now, resentAt: now }).where(eq(webhookDeliveries.id, before.id)).run();
    enqueue(tx, 'webhook', before.id);
    appendAudit(tx, viewer!, 'webhook.resend', project.key, { id, delivery: before.id, status: before.status }, { id, delivery: before.id, status: 'pending' });
  });
  wakeOutbox();
  return deliveryRows(hook.id, { id: before.id }, 1)[0]!;
}
