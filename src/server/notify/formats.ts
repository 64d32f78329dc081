// What a webhook receiver gets, per format: Dossier's own signed JSON, a Lark/Feishu custom-bot
// text message, or a Slack incoming-webhook message. Pure functions of the event; the delivery
// loop (deliver.ts) loads the event and sends what these return.
import { createHmac } from 'node:crypto';
import { publicBaseUrl } from '../auth/public-url.ts';

export type WebhookFormat = 'json' | 'lark' | 'slack';
export interface Person { email: string; name: string }
export interface Named { en: string; zh: string }

export interface WebhookEvent {
  deliveryId: number;
  eventId: number;
  event: string;
  project: { key: string; name: string };
  requirement: {
    key: string; title: string; status: string; statusName: Named; category: string; priority: string;
    due: string | null; url: string; assignee: Person | null; group: string | null;
  };
  actor: Person | null;
  at: string;
  data: Record<string, unknown>;
  /** Names of the workflow's states by key, for messages (not sent in the JSON format). */
  stateNames: Record<string, Named>;
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

const who = (p: Person | null) => p?.name ?? 'Dossier';
const quote = (s: unknown, n = 200) => {
  const text = String(s ?? '').replace(/\s+/g, ' ').trim();
  return text.length > n ? `${text.slice(0, n)}…` : text;
};

/** One line saying what happened, in English and Chinese (the receiving chat may be either). */
export function describeEvent(e: WebhookEvent): { en: string; zh: string } {
  const d = e.data;
  const actor = who(e.actor);
  // Without a title, the page is one that not every reader of the project may see (deliver.ts).
  const page = typeof d.title === 'string' ? { en: `"${d.title}"`, zh: `「${d.title}」` } : { en: '(restricted)', zh: '（受限文档）' };
  switch (e.event) {
    case 'created': {
      const to = e.requirement.assignee?.name ?? e.requirement.group ?? '—';
      return { en: `${actor} submitted it (${e.requirement.category}); assigned to ${to}`, zh: `${actor} 提交了需求（${e.requirement.category}），负责人：${to}` };
    }
    case 'transitioned': {
      const tail = d.comment ? ` — "${quote(d.comment)}"` : '';
      const name = (state: unknown, lang: 'en' | 'zh') => e.stateNames[String(state)]?.[lang] ?? String(state);
      return {
        en: `${actor} moved it ${name(d.from, 'en')} → ${name(d.to, 'en')}${tail}`,
        zh: `${actor} 将状态从「${name(d.from, 'zh')}」改为「${name(d.to, 'zh')}」${tail}`,
      };
    }
    case 'changed': {
      const fields = Array.isArray(d.fields) ? d.fields.join(', ') : '';
      return { en: `${actor} changed ${fields}`, zh: `${actor} 修改了 ${fields}` };
    }
    case 'edited':
      return d.agreed
        ? { en: `${actor} edited the description of this agreed requirement`, zh: `${actor} 修改了已确认需求的描述（需求变更）` }
        : { en: `${actor} edited the description`, zh: `${actor} 修改了描述` };
    case 'linked': return { en: `${actor} linked ${String(d.relation)} page ${page.en}`, zh: `${actor} 关联了文档${page.zh}（${String(d.relation)}）` };
    case 'unlinked': return { en: `${actor} unlinked page ${page.en}`, zh: `${actor} 取消关联文档${page.zh}` };
    case 'commented': return { en: `${actor} commented: "${quote(d.comment)}"`, zh: `${actor} 评论：「${quote(d.comment)}」` };
    case 'nudged': {
      const tail = d.comment ? `: "${quote(d.comment)}"` : '';
      return { en: `${actor} nudged the assignee${tail}`, zh: `${actor} 催办${tail}` };
    }
    case 'mentioned': return { en: `Mentioned in page ${page.en} by ${actor}`, zh: `${actor} 在文档${page.zh}中提及` };
    default: return { en: `${actor}: ${e.event}`, zh: `${actor}：${e.event}` };
  }
}

function headline(e: WebhookEvent): string {
  const r = e.requirement;
  return `[${e.project.key}] ${r.key} ${r.title} · ${r.statusName.en} / ${r.statusName.zh}`;
}

export function plainText(e: WebhookEvent): string {
  const what = describeEvent(e);
  return `${headline(e)}\n${what.en}\n${what.zh}\n${e.requirement.url}`;
}

/** Slack mrkdwn: &, < and > are control characters. */
const slackEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function slackMessage(e: WebhookEvent) {
  const r = e.requirement;
  const what = describeEvent(e);
  return {
    text: plainText(e),
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `*<${r.url}|${slackEscape(`${r.key} ${r.title}`)}>*\n${slackEscape(what.en)}\n${slackEscape(what.zh)}` } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: slackEscape(`${e.project.name} · ${r.statusName.en} / ${r.statusName.zh} · ${r.assignee?.name ?? r.group ?? '—'}`) }] },
    ],
  };
}

/** The JSON body of the generic format. */
export function jsonPayload(e: WebhookEvent) {
  return { id: e.eventId, event: e.event, project: e.project, requirement: e.requirement, actor: e.actor, at: e.at, data: e.data };
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
    case 'lark': {
      const message: Record<string, unknown> = { msg_type: 'text', content: { text: plainText(e) } };
      if (secret) Object.assign(message, { timestamp, sign: larkSignature(secret, timestamp) });
      return { headers, body: JSON.stringify(message) };
    }
    case 'slack':
      return { headers, body: JSON.stringify(slackMessage(e)) };
  }
}
