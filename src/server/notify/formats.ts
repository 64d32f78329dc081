// What a webhook receiver gets, per format: Dossier's own signed JSON, a Lark/Feishu custom-bot
// text message or message card, or a Slack incoming-webhook message. Chat messages are in the
// webhook's language, name categories, fields and states as the project does, and @-mention the
// assignee when their profile has the chat's id. Pure functions of the event; the delivery
// loop (deliver.ts) loads the event and sends what these return.
import { createHmac } from 'node:crypto';
import { MESSAGE_KEYS, translator, type Lang, type MessageKey } from '../../i18n/index.ts';
import { fieldName } from '../../i18n/field-name.ts';
import { publicBaseUrl } from '../auth/public-url.ts';

export type WebhookFormat = 'json' | 'lark' | 'lark-card' | 'slack';
export interface Person { email: string; name: string }
/** A person with their chat ids (from their profile), for @-mentions; the JSON format sends only email and name. */
export interface ChatPerson extends Person { larkOpenId?: string | null; slackMemberId?: string | null }
export interface Named { en: string; zh: string }

export interface WebhookEvent {
  deliveryId: number;
  eventId: number;
  event: string;
  project: { key: string; name: string };
  requirement: {
    key: string; title: string; status: string; statusName: Named; category: string; priority: string;
    /** Its state counts as finished: nobody is nudged about it. */
    done: boolean;
    due: string | null; url: string; assignee: ChatPerson | null; group: string | null;
    /** A restricted requirement (src/server/access/index.ts): only its key and url are sent. */
    restricted?: true;
  };
  actor: Person | null;
  at: string;
  data: Record<string, unknown>;
  // For chat messages only (not sent in the JSON format):
  /** Names of the workflow's states by key, and of the category. */
  stateNames: Record<string, Named>;
  categoryName?: Named;
  /** People named in the event's changes, email → name. */
  names: Record<string, string>;
  /** The webhook's language, else the site's. */
  lang: Lang;
}

export interface OutgoingRequest { headers: Record<string, string>; body: string }

export function requirementUrl(projectKey: string, key: string): string {
  return `${publicBaseUrl()}/p/${encodeURIComponent(projectKey)}/${encodeURIComponent(key)}`;
}

const MAX_STRING = 20_000;

/** Event data as sent: internal ids dropped, very long texts (a description's before/after) cut. */
export function publicEventData(data: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(data)) {
    if (k === 'mentionedUserIds') continue;
    out[k] = typeof v === 'string' && v.length > MAX_STRING ? `${v.slice(0, MAX_STRING)}…` : v;
  }
  return out;
}

/** HMAC-SHA256 over `<timestamp>.<body>`, hex: the value of X-Dossier-Signature after `sha256=`. */
export function dossierSignature(secret: string, timestamp: string, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

/** Lark/Feishu custom-bot signing: base64 HMAC-SHA256 keyed with `<timestamp>\n<secret>` over an empty message. */
export function larkSignature(secret: string, timestamp: string): string {
  return createHmac('sha256', `${timestamp}\n${secret}`).update('').digest('base64');
}

/** Text from users (titles, names, comments) in a format that reads markup: escaped so it cannot mention or link. */
type Escape = (s: string) => string;
const plain: Escape = (s) => s;

const quote = (s: unknown, n = 200) => {
  const text = String(s ?? '').replace(/\s+/g, ' ').trim();
  return text.length > n ? `${text.slice(0, n)}…` : text;
};

/** A named thing (state, category) in the message's language. */
const named = (n: Named | undefined, lang: Lang, fallback: string) => (n ? (lang === 'zh-CN' ? n.zh : n.en) : fallback);

/** "priority: High, assignee: 张敏": each changed field by its localised name, with its new value. */
function changeList(e: WebhookEvent, t: ReturnType<typeof translator>, esc: Escape): string {
  const changes = Array.isArray(e.data.changes) ? (e.data.changes as { field: string; after: unknown }[]) : [];
  if (!changes.length) return (Array.isArray(e.data.fields) ? e.data.fields.map(String) : []).map((f) => fieldName(t, f)).join(t('chat.changeList'));
  const value = (field: string, after: unknown): string => {
    if (after === null || after === undefined || (Array.isArray(after) && after.length === 0) || after === '') return t('chat.none');
    if (field === 'assignee') return esc(e.names[String(after)] ?? String(after));
    if (field === 'priority' && MESSAGE_KEYS.has(`tracker.priority.${String(after)}`)) return t(`tracker.priority.${String(after)}` as MessageKey);
    if (Array.isArray(after)) return esc(after.map(String).join(', '));
    return esc(quote(after, 120));
  };
  return changes.map((c) => t('chat.change', { field: fieldName(t, c.field), value: value(c.field, c.after) })).join(t('chat.changeList'));
}

/** One line saying what happened, in the webhook's language. */
function describeEvent(e: WebhookEvent, esc: Escape = plain): string {
  const t = translator(e.lang);
  const d = e.data;
  const actor = esc(e.actor?.name ?? 'Dossier');
  const comment = esc(quote(d.comment));
  // Without a title, the page is one that not every reader of the project may see (deliver.ts).
  const page = typeof d.title === 'string' ? t('chat.pageQuoted', { title: esc(d.title) }) : t('chat.restrictedPage');
  switch (e.event) {
    case 'created': {
      const to = esc(e.requirement.assignee?.name ?? e.requirement.group ?? t('chat.none'));
      return t('chat.created', { actor, category: esc(named(e.categoryName, e.lang, e.requirement.category)), to });
    }
    case 'transitioned': {
      const line = t('chat.transitioned', { actor, from: esc(named(e.stateNames[String(d.from)], e.lang, String(d.from))), to: esc(named(e.stateNames[String(d.to)], e.lang, String(d.to))) });
      return d.comment ? `${line} — ${t('chat.pageQuoted', { title: comment })}` : line;
    }
    case 'changed': return t('chat.changed', { actor, changes: changeList(e, t, esc) });
    case 'edited': return t(d.agreed ? 'chat.editedAgreed' : 'chat.edited', { actor });
    case 'linked': {
      const relation = MESSAGE_KEYS.has(`tracker.relation.${String(d.relation)}`) ? t(`tracker.relation.${String(d.relation)}` as MessageKey) : esc(String(d.relation));
      return t('chat.linked', { actor, relation, page });
    }
    case 'unlinked': return t('chat.unlinked', { actor, page });
    case 'commented': return t('chat.commented', { actor, comment });
    case 'nudged': return d.comment ? t('chat.nudgedWhy', { actor, comment }) : t('chat.nudged', { actor });
    case 'mentioned': return t('chat.mentioned', { actor, page });
    default: {
      // The desk's events (claimed, escalated, confirmed, reopened, auto-closed) by their names, with the reporter's why.
      const line = t('chat.other', { actor, event: MESSAGE_KEYS.has(`webhooks.event.${e.event}`) ? t(`webhooks.event.${e.event}` as MessageKey) : esc(e.event) });
      return d.comment ? `${line} — ${t('chat.pageQuoted', { title: comment })}` : line;
    }
  }
}

/** The assignee as the chat knows them (an @-mention when their profile has this chat's id), else by name. */
function assigneeIn(e: WebhookEvent, chat: 'lark-text' | 'lark-md' | 'slack', esc: Escape): string {
  const r = e.requirement;
  // Nobody is pinged about their own change.
  const self = r.assignee && e.actor && r.assignee.email === e.actor.email;
  const lark = r.assignee?.larkOpenId;
  const slack = r.assignee?.slackMemberId;
  if (!self && chat === 'lark-text' && lark) return `<at user_id="${lark}"></at>`;
  if (!self && chat === 'lark-md' && lark) return `<at id=${lark}></at>`;
  if (!self && chat === 'slack' && slack) return `<@${slack}>`;
  return esc(r.assignee?.name ?? r.group ?? translator(e.lang)('chat.none'));
}

function headline(e: WebhookEvent, esc: Escape): string {
  const r = e.requirement;
  return `[${esc(e.project.key)}] ${esc(`${r.key} ${r.title}`)} · ${esc(named(r.statusName, e.lang, r.status))}`;
}

/** Lark reads <at …> in text and lark_md: users' text gets full-width brackets so it can mention nobody. */
const larkEscape: Escape = (s) => s.replace(/</g, '＜').replace(/>/g, '＞');

/** All a chat hears about a restricted requirement: its project, key and link. */
const restrictedLine = (e: WebhookEvent, esc: Escape) => `[${esc(e.project.key)}] ${esc(e.requirement.key)}\n${e.requirement.url}`;

function larkText(e: WebhookEvent): string {
  if (e.requirement.restricted) return restrictedLine(e, larkEscape);
  const t = translator(e.lang);
  return `${headline(e, larkEscape)}\n${describeEvent(e, larkEscape)}\n${t('chat.change', { field: t('tracker.field.assignee'), value: assigneeIn(e, 'lark-text', larkEscape) })}\n${e.requirement.url}`;
}

/** The link a card's Nudge button opens: the requirement page at its nudge form (see README, Webhooks). */
const nudgeUrl = (url: string) => `${url}#nudge`;

/** A Lark/Feishu message card: what happened, status and assignee, and buttons to open and to nudge. */
function larkCard(e: WebhookEvent) {
  const t = translator(e.lang);
  const r = e.requirement;
  const md = (content: string) => ({ tag: 'lark_md', content });
  const open = { tag: 'button', type: 'primary', text: { tag: 'plain_text', content: t('chat.open') }, url: r.url };
  if (r.restricted) {
    return { config: { wide_screen_mode: true }, header: { template: 'grey', title: { tag: 'plain_text', content: `[${e.project.key}] ${r.key}` } }, elements: [{ tag: 'action', actions: [open] }] };
  }
  return {
    config: { wide_screen_mode: true },
    header: { template: 'blue', title: { tag: 'plain_text', content: `${r.key} ${r.title}` } },
    elements: [
      { tag: 'div', text: { tag: 'plain_text', content: describeEvent(e) } },
      { tag: 'div', fields: [
        { is_short: true, text: md(`**${t('tracker.field.status')}**\n${larkEscape(named(r.statusName, e.lang, r.status))}`) },
        { is_short: true, text: md(`**${t('tracker.field.assignee')}**\n${assigneeIn(e, 'lark-md', larkEscape)}`) },
      ] },
      // A finished requirement has no nudge form: no Nudge button either.
      { tag: 'action', actions: r.done ? [open] : [open, { tag: 'button', type: 'default', text: { tag: 'plain_text', content: t('chat.nudge') }, url: nudgeUrl(r.url) }] },
      { tag: 'note', elements: [{ tag: 'plain_text', content: e.project.name }] },
    ],
  };
}

/** Slack mrkdwn: &, < and > are control characters. */
const slackEscape: Escape = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function slackMessage(e: WebhookEvent) {
  const t = translator(e.lang);
  const r = e.requirement;
  if (r.restricted) return { text: restrictedLine(e, slackEscape), blocks: [{ type: 'section', text: { type: 'mrkdwn', text: `*<${r.url}|${slackEscape(r.key)}>*` } }] };
  const what = describeEvent(e, slackEscape);
  return {
    text: `${headline(e, slackEscape)}\n${what}\n${r.url}`,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `*<${r.url}|${slackEscape(`${r.key} ${r.title}`)}>*\n${what}` } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: `${slackEscape(`${e.project.name} · ${named(r.statusName, e.lang, r.status)}`)} · ${t('chat.change', { field: t('tracker.field.assignee'), value: assigneeIn(e, 'slack', slackEscape) })}` }] },
    ],
  };
}

/** The JSON body of the generic format. */
export function jsonPayload(e: WebhookEvent) {
  const { key, url, restricted, assignee } = e.requirement;
  if (restricted) return { id: e.eventId, event: e.event, project: e.project, requirement: { key, url, restricted }, at: e.at };
  const requirement = { ...e.requirement, assignee: assignee && { email: assignee.email, name: assignee.name } };
  return { id: e.eventId, event: e.event, project: e.project, requirement, actor: e.actor, at: e.at, data: e.data };
}

/** The request for one attempt; `now` fixes the timestamp that is signed (so a replay is detectable). */
export function buildRequest(format: WebhookFormat, e: WebhookEvent, secret: string | null, now = Date.now()): OutgoingRequest {
  const timestamp = String(Math.floor(now / 1000));
  const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8', 'user-agent': 'Dossier-Webhook/1' };
  switch (format) {
    case 'json': {
      const body = JSON.stringify(jsonPayload(e));
      Object.assign(headers, { 'x-dossier-event': e.event, 'x-dossier-delivery': String(e.deliveryId), 'x-dossier-timestamp': timestamp });
      if (secret) headers['x-dossier-signature'] = `sha256=${dossierSignature(secret, timestamp, body)}`;
      return { headers, body };
    }
    case 'lark': case 'lark-card': {
      const message: Record<string, unknown> = format === 'lark' ? { msg_type: 'text', content: { text: larkText(e) } } : { msg_type: 'interactive', card: larkCard(e) };
      if (secret) Object.assign(message, { timestamp, sign: larkSignature(secret, timestamp) });
      return { headers, body: JSON.stringify(message) };
    }
    case 'slack':
      return { headers, body: JSON.stringify(slackMessage(e)) };
  }
}
