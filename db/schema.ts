// Dossier's tables. SQLite is the source of truth; Meilisearch is derived from these rows.
import { sql } from 'drizzle-orm';
import { blob, index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

const createdAt = () => integer('created_at', { mode: 'number' }).notNull().default(sql`(unixepoch('subsec') * 1000)`);

export const users = sqliteTable('users', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  email: text('email').notNull().unique(),
  name: text('name').notNull(),
  passwordHash: text('password_hash'),
  locale: text('locale'),
  active: integer('active', { mode: 'boolean' }).notNull().default(true),
  admin: integer('admin', { mode: 'boolean' }).notNull().default(false),
  // "<issuer> <sub>" of the identity provider account this user signs in with, if any.
  oidcSubject: text('oidc_subject').unique(),
  // Chat ids (mail feature): messages to a project's Lark or Slack group @-mention the assignee with these.
  larkOpenId: text('lark_open_id'),
  slackMemberId: text('slack_member_id'),
  createdAt: createdAt(),
  // Archive + faithful migration (issue 11): a placeholder person created by a CSV import from a
  // name or e-mail that matched nobody; inactive, so it never signs in, but history names them.
  imported: integer('imported', { mode: 'boolean' }).notNull().default(false),
});

export const sessions = sqliteTable('sessions', {
  id: text('id').primaryKey(),
  secretHash: blob('secret_hash', { mode: 'buffer' }).notNull(),
  userId: integer('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  expiresAt: integer('expires_at', { mode: 'number' }).notNull(),
  createdAt: createdAt(),
}, (t) => [index('sessions_user').on(t.userId)]);

export const spaces = sqliteTable('spaces', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  key: text('key').notNull().unique(),
  name: text('name').notNull(),
  kind: text('kind', { enum: ['guide', 'it', 'policy', 'project', 'general'] }).notNull().default('general'),
  visibility: text('visibility', { enum: ['org', 'restricted'] }).notNull().default('org'),
  description: text('description').notNull().default(''),
  archived: integer('archived', { mode: 'boolean' }).notNull().default(false),
  // Bumped with every change to the page tree, so page views can reuse a cached tree.
  treeVersion: integer('tree_version').notNull().default(0),
  // Search relevance (issue 13): how much this space's pages count when relevance is close
  // (0.5–2, 1 is neutral), and whether it is a reference collection (imported manuals, vendor
  // docs) that ranks below the company's own spaces.
  searchWeight: real('search_weight').notNull().default(1),
  reference: integer('reference', { mode: 'boolean' }).notNull().default(false),
  // Page owners and reviews (issue 11, "owners"): the days until a verified page is due for review
  // again, when the verifier gives no date (null: no default review).
  reviewIntervalDays: integer('review_interval_days'),
  createdAt: createdAt(),
});

export const pages = sqliteTable('pages', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  spaceId: integer('space_id').notNull().references(() => spaces.id),
  // Hierarchical path inside the space ('' is the space home); the parent is the page at dirname(path).
  path: text('path').notNull(),
  title: text('title').notNull(),
  // Lower-cased NFC title: what [[wiki links]] resolve against.
  titleKey: text('title_key').notNull(),
  tags: text('tags', { mode: 'json' }).$type<string[]>().notNull().default(sql`'[]'`),
  position: integer('position').notNull().default(0),
  revision: integer('revision').notNull(),
  // Rendered at save time from the current revision; a page view only reads these.
  html: text('html').notNull(),
  text: text('text').notNull(),
  headings: text('headings', { mode: 'json' }).$type<{ depth: number; id: string; text: string }[]>().notNull(),
  sections: text('sections', { mode: 'json' }).$type<{ heading: string; anchor: string; text: string }[]>().notNull(),
  updatedAt: integer('updated_at', { mode: 'number' }).notNull(),
  updatedBy: integer('updated_by').references(() => users.id),
  createdAt: createdAt(),
  deletedAt: integer('deleted_at', { mode: 'number' }),
  deletedBy: integer('deleted_by').references(() => users.id),
  // Page owners and reviews (issue 11, "owners"): who answers for the page (its creator unless
  // changed; null: unowned), who verified it last and when, and the ISO date (YYYY-MM-DD, compared
  // as text) it is due for review by.
  ownerId: integer('owner_id').references(() => users.id),
  verifiedAt: integer('verified_at', { mode: 'number' }),
  verifiedBy: integer('verified_by').references(() => users.id),
  reviewBy: text('review_by'),
}, (t) => [
  uniqueIndex('pages_live_path').on(t.spaceId, t.path).where(sql`deleted_at is null`),
  index('pages_live_title').on(t.spaceId, t.titleKey).where(sql`deleted_at is null`),
  // The hourly review-reminder scan and the freshness view read pages by review date.
  index('pages_review_by').on(t.reviewBy).where(sql`deleted_at is null and review_by is not null`),
  index('pages_owner').on(t.ownerId),
]);

// Where a moved page used to live: its old path answers with a redirect to wherever the page is
// now (by id, so a page moved twice needs no chain), and old `[[path]]` links still reach it. A
// live page at the path always comes first.
export const pageRedirects = sqliteTable('page_redirects', {
  spaceId: integer('space_id').notNull().references(() => spaces.id),
  path: text('path').notNull(),
  pageId: integer('page_id').notNull().references(() => pages.id),
  at: createdAt(),
}, (t) => [primaryKey({ columns: [t.spaceId, t.path] }), index('page_redirects_page').on(t.pageId)]);

export const revisions = sqliteTable('revisions', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  pageId: integer('page_id').notNull().references(() => pages.id),
  number: integer('number').notNull(),
  title: text('title').notNull(),
  markdown: text('markdown').notNull(),
  tags: text('tags', { mode: 'json' }).$type<string[]>().notNull().default(sql`'[]'`),
  authorId: integer('author_id').references(() => users.id),
  message: text('message').notNull().default(''),
  createdAt: createdAt(),
}, (t) => [uniqueIndex('revisions_page_number').on(t.pageId, t.number)]);

// Outgoing [[wiki links]] of each page's current revision, kept by target title so a link
// written before its target exists resolves (and the source re-renders) once it is created.
export const links = sqliteTable('links', {
  fromPageId: integer('from_page_id').notNull().references(() => pages.id),
  // By key, not id: a link may point into a space that does not exist yet.
  toSpaceKey: text('to_space_key').notNull(),
  toTitleKey: text('to_title_key').notNull(),
}, (t) => [
  index('links_from').on(t.fromPageId),
  index('links_to').on(t.toSpaceKey, t.toTitleKey),
]);

// Work to do after a commit (search indexing now, notifications later), written in the same
// transaction as the change so nothing is lost when Meilisearch or the process is down.
export const outbox = sqliteTable('outbox', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  kind: text('kind').notNull(),
  subject: text('subject').notNull(),
  attempts: integer('attempts').notNull().default(0),
  lastError: text('last_error'),
  runAfter: integer('run_after', { mode: 'number' }).notNull().default(0),
  leaseUntil: integer('lease_until', { mode: 'number' }).notNull().default(0),
  // The process (outbox_owners.id) holding the lease: once it stops beating, the lease is void.
  leaseOwner: text('lease_owner'),
  createdAt: createdAt(),
}, (t) => [index('outbox_due').on(t.runAfter)]);

// Processes working off the outbox, each beating every second while it runs. Several app processes
// may share the database, so a process takes over another's leased rows only once that one's
// heartbeat has stopped (it crashed or was killed), not when a long lease runs out.
export const outboxOwners = sqliteTable('outbox_owners', {
  id: text('id').primaryKey(),
  pid: integer('pid').notNull(),
  heartbeatAt: integer('heartbeat_at', { mode: 'number' }).notNull(),
});

export const groups = sqliteTable('groups', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  name: text('name').notNull().unique(),
  // 'oidc' for groups created and kept in step by the identity provider's groups claim.
  origin: text('origin', { enum: ['local', 'oidc'] }).notNull().default('local'),
  createdAt: createdAt(),
  // Desk (issue 12): who hears when an item in this group's queue passes an SLA deadline.
  leadId: integer('lead_id').references(() => users.id, { onDelete: 'set null' }),
});

export const groupMembers = sqliteTable('group_members', {
  groupId: integer('group_id').notNull().references(() => groups.id, { onDelete: 'cascade' }),
  userId: integer('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
}, (t) => [primaryKey({ columns: [t.groupId, t.userId] }), index('group_members_user').on(t.userId)]);

// A role on a space for one user or one group (exactly one of the two is set).
export const grants = sqliteTable('grants', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  spaceId: integer('space_id').notNull().references(() => spaces.id, { onDelete: 'cascade' }),
  userId: integer('user_id').references(() => users.id, { onDelete: 'cascade' }),
  groupId: integer('group_id').references(() => groups.id, { onDelete: 'cascade' }),
  role: text('role', { enum: ['reader', 'editor', 'admin'] }).notNull(),
}, (t) => [
  uniqueIndex('grants_space_user').on(t.spaceId, t.userId),
  uniqueIndex('grants_space_group').on(t.spaceId, t.groupId),
  index('grants_user').on(t.userId),
  index('grants_group').on(t.groupId),
]);

// Append-only: the app has no code path that updates or deletes these rows.
export const auditLog = sqliteTable('audit_log', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  actorId: integer('actor_id').references(() => users.id),
  action: text('action').notNull(),
  subject: text('subject').notNull(),
  before: text('before', { mode: 'json' }).$type<unknown>(),
  after: text('after', { mode: 'json' }).$type<unknown>(),
  at: createdAt(),
  // Continuity (page history): the page a line is about (owner, review, verification, handover),
  // so the page's history finds its lines after a move; null for lines about anything else.
  pageId: integer('page_id').references(() => pages.id),
}, (t) => [index('audit_actor').on(t.actorId), index('audit_action').on(t.action), index('audit_page').on(t.pageId).where(sql`page_id is not null`)]);

// Personal API tokens: "dt_<id>.<secret>"; only SHA-256(secret) is stored.
export const apiTokens = sqliteTable('api_tokens', {
  id: text('id').primaryKey(),
  userId: integer('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  name: text('name').notNull(),
  secretHash: blob('secret_hash', { mode: 'buffer' }).notNull(),
  readOnly: integer('read_only', { mode: 'boolean' }).notNull().default(false),
  lastUsedAt: integer('last_used_at', { mode: 'number' }),
  createdAt: createdAt(),
}, (t) => [index('api_tokens_user').on(t.userId)]);

// Sign-in throttling (src/server/auth/rate-limit.ts): failures of one (account, address) pair
// or of one address, and when the last one happened. Forgotten after a day without failures.
export const signInThrottle = sqliteTable('sign_in_throttle', {
  key: text('key').primaryKey(),
  failures: integer('failures').notNull(),
  lastFailureAt: integer('last_failure_at', { mode: 'number' }).notNull(),
}, (t) => [index('sign_in_throttle_last_failure').on(t.lastFailureAt)]);

// Sign-ins in flight with the identity provider: state, nonce and PKCE verifier (kept 10 minutes).
export const oidcLogins = sqliteTable('oidc_logins', {
  state: text('state').primaryKey(),
  nonce: text('nonce').notNull(),
  verifier: text('verifier').notNull(),
  next: text('next').notNull(),
  createdAt: createdAt(),
});

// ---- Requirement tracker ----

// A project owns one space of kind 'project'; the project's permissions are that space's grants.
export const projects = sqliteTable('projects', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  key: text('key').notNull().unique(),
  name: text('name').notNull(),
  ownerId: integer('owner_id').notNull().references(() => users.id),
  spaceId: integer('space_id').notNull().unique().references(() => spaces.id),
  // One of the project's configured phases (`phases`, else DEFAULT_PHASES in src/server/projects/phases.ts).
  phase: text('phase').notNull().default('initiation'),
  // The next requirement number (PAY-<n>); taken and bumped inside the creating transaction.
  nextNumber: integer('next_number').notNull().default(1),
  archived: integer('archived', { mode: 'boolean' }).notNull().default(false),
  createdAt: createdAt(),
  // ── Desk (issue 12, part 1; src/server/desk/) ──
  // Tag aliases: normalised alias → normalised canonical tag (登录 → login).
  tagAliases: text('tag_aliases', { mode: 'json' }).$type<Record<string, string>>().notNull().default(sql`'{}'`),
  // SLA per category × priority: { issue: { urgent: { firstResponseHours, resolveHours, clock } } }.
  sla: text('sla', { mode: 'json' }).$type<import('../src/server/desk/sla.ts').SlaConfig>().notNull().default(sql`'{}'`),
  // Days the reporter has to confirm or reopen a resolution before it closes itself.
  confirmDays: integer('confirm_days').notNull().default(7),
  // Project phases (issue 11, part 3): the project's own phase list; null means the defaults.
  phases: text('phases', { mode: 'json' }).$type<import('../src/server/projects/phases.ts').Phase[]>(),
});

// A category (feature, change, issue, …) and its workflow, kept as one validated JSON document
// (see src/server/projects/workflow.ts) so a project admin edits it as a whole.
export const categories = sqliteTable('categories', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  projectId: integer('project_id').notNull().references(() => projects.id, { onDelete: 'cascade' }),
  key: text('key').notNull(),
  position: integer('position').notNull().default(0),
  workflow: text('workflow', { mode: 'json' }).$type<import('../src/server/projects/workflow.ts').Category>().notNull(),
}, (t) => [uniqueIndex('categories_project_key').on(t.projectId, t.key)]);

// Category and/or tag → a user or a group (shared queue); first match in position order wins.
export const routingRules = sqliteTable('routing_rules', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  projectId: integer('project_id').notNull().references(() => projects.id, { onDelete: 'cascade' }),
  position: integer('position').notNull(),
  category: text('category'),
  tag: text('tag'),
  assigneeId: integer('assignee_id').references(() => users.id),
  groupId: integer('group_id').references(() => groups.id),
}, (t) => [index('routing_rules_project').on(t.projectId, t.position)]);

export const requirements = sqliteTable('requirements', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  projectId: integer('project_id').notNull().references(() => projects.id),
  number: integer('number').notNull(),
  key: text('key').notNull().unique(),
  title: text('title').notNull(),
  markdown: text('markdown').notNull().default(''),
  html: text('html').notNull().default(''),
  text: text('text').notNull().default(''),
  category: text('category').notNull(),
  status: text('status').notNull(),
  priority: text('priority', { enum: ['low', 'normal', 'high', 'urgent'] }).notNull().default('normal'),
  assigneeId: integer('assignee_id').references(() => users.id),
  // A shared queue: set when a rule routed the requirement to a group and nobody has taken it yet.
  groupId: integer('group_id').references(() => groups.id),
  reporterId: integer('reporter_id').references(() => users.id),
  // ISO date (YYYY-MM-DD), compared as text.
  due: text('due'),
  tags: text('tags', { mode: 'json' }).$type<string[]>().notNull().default(sql`'[]'`),
  // How it was routed on submission: "rule 2: category=issue → group support", or the owner fallback.
  routedBy: text('routed_by').notNull().default(''),
  // Bumped by every change, so an edit made from a stale copy is refused (409) rather than lost.
  version: integer('version').notNull().default(1),
  // First time it entered an "agreed" state: later description edits are changes to an agreed requirement.
  agreedAt: integer('agreed_at', { mode: 'number' }),
  closedAt: integer('closed_at', { mode: 'number' }),
  lastNudgedAt: integer('last_nudged_at', { mode: 'number' }),
  createdAt: createdAt(),
  updatedAt: integer('updated_at', { mode: 'number' }).notNull(),
  // ── Desk (issue 12, part 1: SLA, escalation, confirmation; src/server/desk/) ── epoch ms.
  // Deadlines from the project's SLA, set on submission.
  respondBy: integer('respond_by', { mode: 'number' }),
  resolveBy: integer('resolve_by', { mode: 'number' }),
  // The first comment or move by someone other than the reporter.
  firstResponseAt: integer('first_response_at', { mode: 'number' }),
  // When it last entered a resolving state (see src/server/desk/resolution.ts); null while unresolved.
  resolvedAt: integer('resolved_at', { mode: 'number' }),
  // Closed for good: the reporter confirmed the resolution, or the confirmation period ran out.
  confirmedAt: integer('confirmed_at', { mode: 'number' }),
  // Each deadline escalates once: when that escalation was sent.
  escalatedResponseAt: integer('escalated_response_at', { mode: 'number' }),
  escalatedResolveAt: integer('escalated_resolve_at', { mode: 'number' }),
  // Row-level visibility (rowlevel): restricted on its own; its category's workflow may also restrict it.
  restricted: integer('restricted', { mode: 'boolean' }).notNull().default(false),
}, (t) => [
  uniqueIndex('requirements_project_number').on(t.projectId, t.number),
  index('requirements_assignee').on(t.assigneeId),
  index('requirements_project_status').on(t.projectId, t.status),
  // ---- dashboards: the period's created and done items of a project, read by range, and the
  // latest change (whether remembered figures still hold) ----
  index('requirements_project_created').on(t.projectId, t.createdAt),
  index('requirements_project_closed').on(t.projectId, t.closedAt),
  index('requirements_project_updated').on(t.projectId, t.updatedAt),
]);

export const watchers = sqliteTable('watchers', {
  requirementId: integer('requirement_id').notNull().references(() => requirements.id, { onDelete: 'cascade' }),
  userId: integer('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
}, (t) => [primaryKey({ columns: [t.requirementId, t.userId] })]);

// Row-level visibility (rowlevel): people added explicitly to a restricted requirement's readers.
export const requirementViewers = sqliteTable('requirement_viewers', {
  requirementId: integer('requirement_id').notNull().references(() => requirements.id, { onDelete: 'cascade' }),
  userId: integer('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
}, (t) => [primaryKey({ columns: [t.requirementId, t.userId] }), index('requirement_viewers_user').on(t.userId)]);

// The full lifecycle of a requirement. Append-only: no code path updates or deletes these rows.
export const requirementEvents = sqliteTable('requirement_events', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  requirementId: integer('requirement_id').notNull().references(() => requirements.id),
  kind: text('kind', { enum: ['created', 'transitioned', 'changed', 'edited', 'linked', 'unlinked', 'commented', 'nudged', 'mentioned', 'handed_over', 'claimed', 'escalated', 'confirmed', 'reopened', 'auto-closed'] }).notNull(),
  actorId: integer('actor_id').references(() => users.id),
  data: text('data', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
  at: createdAt(),
}, (t) => [index('requirement_events_requirement').on(t.requirementId, t.id)]);

// Explicit requirement ↔ page links with a relation. Mentions (a page's text naming PAY-12) are
// kept apart in page_mentions, by key, because they are derived from the page at save time.
export const requirementLinks = sqliteTable('requirement_links', {
  requirementId: integer('requirement_id').notNull().references(() => requirements.id, { onDelete: 'cascade' }),
  pageId: integer('page_id').notNull().references(() => pages.id),
  relation: text('relation', { enum: ['plan', 'spec', 'review', 'retro'] }).notNull(),
  createdBy: integer('created_by').references(() => users.id),
  createdAt: createdAt(),
}, (t) => [primaryKey({ columns: [t.requirementId, t.pageId, t.relation] }), index('requirement_links_page').on(t.pageId)]);

// Requirement keys written in a page's current revision (by key: it may name one not created yet).
export const pageMentions = sqliteTable('page_mentions', {
  pageId: integer('page_id').notNull().references(() => pages.id),
  requirementKey: text('requirement_key').notNull(),
}, (t) => [primaryKey({ columns: [t.pageId, t.requirementKey] }), index('page_mentions_key').on(t.requirementKey)]);

// A list's filters saved under a name, per user and project.
export const savedViews = sqliteTable('saved_views', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  userId: integer('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  projectId: integer('project_id').notNull().references(() => projects.id, { onDelete: 'cascade' }),
  name: text('name').notNull(),
  query: text('query').notNull(),
  createdAt: createdAt(),
}, (t) => [uniqueIndex('saved_views_user_project_name').on(t.userId, t.projectId, t.name)]);

// The in-app inbox.
export const notifications = sqliteTable('notifications', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  userId: integer('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  kind: text('kind', { enum: ['assigned', 'transitioned', 'mentioned', 'nudged', 'commented', 'changed', 'due-soon', 'overdue', 'page-changed', 'page-commented', 'page-mentioned', 'escalated', 'page-review-soon', 'page-review-overdue', 'handover'] }).notNull(),
  requirementId: integer('requirement_id').references(() => requirements.id),
  eventId: integer('event_id').references(() => requirementEvents.id),
  actorId: integer('actor_id').references(() => users.id),
  data: text('data', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
  readAt: integer('read_at', { mode: 'number' }),
  createdAt: createdAt(),
  // Page comments and watching: the page a page-* item is about (its title is looked up when shown).
  pageId: integer('page_id').references(() => pages.id),
}, (t) => [index('notifications_user').on(t.userId, t.id), index('notifications_unread').on(t.userId).where(sql`read_at is null`)]);

export const webhooks = sqliteTable('webhooks', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  projectId: integer('project_id').notNull().references(() => projects.id, { onDelete: 'cascade' }),
  url: text('url').notNull(),
  format: text('format', { enum: ['json', 'lark', 'lark-card', 'slack'] }).notNull(),
  // Event kinds to send (requirement_events.kind); empty means all.
  events: text('events', { mode: 'json' }).$type<string[]>().notNull().default(sql`'[]'`),
  secret: text('secret'),
  // Language of chat messages (mail feature): 'en' or 'zh-CN'; null is the site default.
  language: text('language', { enum: ['en', 'zh-CN'] }),
  active: integer('active', { mode: 'boolean' }).notNull().default(true),
  createdBy: integer('created_by').references(() => users.id),
  createdAt: createdAt(),
}, (t) => [index('webhooks_project').on(t.projectId)]);

// One row per (webhook, event): the delivery log. The outbox row (kind 'webhook', subject = id)
// drives the attempts.
export const webhookDeliveries = sqliteTable('webhook_deliveries', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  webhookId: integer('webhook_id').notNull().references(() => webhooks.id, { onDelete: 'cascade' }),
  eventId: integer('event_id').notNull().references(() => requirementEvents.id),
  status: text('status', { enum: ['pending', 'delivered', 'failed'] }).notNull().default('pending'),
  attempts: integer('attempts').notNull().default(0),
  responseStatus: integer('response_status'),
  lastError: text('last_error'),
  createdAt: createdAt(),
  deliveredAt: integer('delivered_at', { mode: 'number' }),
  lastAttemptAt: integer('last_attempt_at', { mode: 'number' }),
  // When the next attempt is due while the delivery is pending (a retry after a failure).
  nextAttemptAt: integer('next_attempt_at', { mode: 'number' }),
  // When an admin last sent it again from the log (its attempts keep counting).
  resentAt: integer('resent_at', { mode: 'number' }),
}, (t) => [index('webhook_deliveries_webhook').on(t.webhookId, t.id)]);

// Due-date reminders already sent: one per requirement, due date and kind, so the hourly scan
// never repeats one (a new due date earns new reminders).
export const dueReminders = sqliteTable('due_reminders', {
  requirementId: integer('requirement_id').notNull().references(() => requirements.id, { onDelete: 'cascade' }),
  due: text('due').notNull(),
  kind: text('kind', { enum: ['due-soon', 'overdue'] }).notNull(),
  createdAt: createdAt(),
}, (t) => [primaryKey({ columns: [t.requirementId, t.due, t.kind] })]);

// Page owners and reviews (issue 11, "owners"): review reminders already sent, one per page, review
// date and kind, so the hourly scan never repeats one (a new review date earns new reminders).
export const reviewReminders = sqliteTable('review_reminders', {
  pageId: integer('page_id').notNull().references(() => pages.id),
  reviewBy: text('review_by').notNull(),
  kind: text('kind', { enum: ['page-review-soon', 'page-review-overdue'] }).notNull(),
  createdAt: createdAt(),
}, (t) => [primaryKey({ columns: [t.pageId, t.reviewBy, t.kind] })]);

// Templates (issue 10, part 5): a space's own page templates, written by its admins. The built-in
// ones (src/server/templates/builtin.ts) live in code and are offered in every space beside these.
export const spaceTemplates = sqliteTable('space_templates', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  spaceId: integer('space_id').notNull().references(() => spaces.id, { onDelete: 'cascade' }),
  title: text('title').notNull(),
  titleZh: text('title_zh'),
  description: text('description').notNull().default(''),
  markdown: text('markdown').notNull(),
  updatedBy: integer('updated_by').references(() => users.id),
  updatedAt: integer('updated_at', { mode: 'number' }).notNull(),
  createdAt: createdAt(),
}, (t) => [index('space_templates_space').on(t.spaceId)]);
// ── Attachments (issue 10, part 4) ──────────────────────────────────────────────────────────────
// Files uploaded to a page. The bytes live content-addressed under <data>/files/ab/cdef… (by
// SHA-256, so the same bytes are stored once); a row names them for one page. An attachment
// follows its page by id (moves, deletion and restore need no change here); `deleted_at` is for
// one attachment deleted on its own. `page_id` is null only for a moment during a folder import,
// between storing the file and committing the page that links to it.
export const attachments = sqliteTable('attachments', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  pageId: integer('page_id').references(() => pages.id),
  sha256: text('sha256').notNull(),
  name: text('name').notNull(),
  // Detected from the bytes (file-type), never from the name or the upload's Content-Type.
  type: text('type').notNull(),
  size: integer('size').notNull(),
  uploaderId: integer('uploader_id').references(() => users.id),
  // Searchable text (of PDFs), extracted at upload, bounded.
  text: text('text').notNull().default(''),
  createdAt: createdAt(),
  deletedAt: integer('deleted_at', { mode: 'number' }),
}, (t) => [index('attachments_page').on(t.pageId), index('attachments_sha').on(t.sha256)]);

// The attachments a revision's Markdown linked to: restoring that revision brings them back, and
// `npm run gc` keeps their files.
export const revisionAttachments = sqliteTable('revision_attachments', {
  revisionId: integer('revision_id').notNull().references(() => revisions.id),
  attachmentId: integer('attachment_id').notNull().references(() => attachments.id),
}, (t) => [primaryKey({ columns: [t.revisionId, t.attachmentId] }), index('revision_attachments_attachment').on(t.attachmentId)]);
// ---- Page comments and watching ----

// Comments on a page, one level of threads: a reply's parent is the thread's first comment.
// Soft-deleted: a deleted first comment with replies stays as a "deleted" placeholder.
export const pageComments = sqliteTable('page_comments', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  pageId: integer('page_id').notNull().references(() => pages.id),
  parentId: integer('parent_id'),
  authorId: integer('author_id').references(() => users.id),
  markdown: text('markdown').notNull(),
  // Rendered by the page pipeline when written; viewer-dependent links are decided when shown.
  html: text('html').notNull(),
  createdAt: createdAt(),
  editedAt: integer('edited_at', { mode: 'number' }),
  deletedAt: integer('deleted_at', { mode: 'number' }),
  // Set on a thread's first comment only.
  resolvedAt: integer('resolved_at', { mode: 'number' }),
  resolvedBy: integer('resolved_by').references(() => users.id),
}, (t) => [index('page_comments_page').on(t.pageId, t.id), index('page_comments_parent').on(t.parentId)]);

export const pageWatches = sqliteTable('page_watches', {
  userId: integer('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  pageId: integer('page_id').notNull().references(() => pages.id),
}, (t) => [primaryKey({ columns: [t.pageId, t.userId] }), index('page_watches_user').on(t.userId)]);

export const spaceWatches = sqliteTable('space_watches', {
  userId: integer('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  spaceId: integer('space_id').notNull().references(() => spaces.id, { onDelete: 'cascade' }),
}, (t) => [primaryKey({ columns: [t.spaceId, t.userId] }), index('space_watches_user').on(t.userId)]);

// The revision of a page each user last viewed: written only when it differs from the one shown.
export const pageVisits = sqliteTable('page_visits', {
  userId: integer('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  pageId: integer('page_id').notNull().references(() => pages.id),
  revision: integer('revision').notNull(),
  // Recently viewed (issue 11, part 7): when the user last opened the page (refreshed at most every few minutes).
  viewedAt: integer('viewed_at', { mode: 'number' }),
}, (t) => [primaryKey({ columns: [t.userId, t.pageId] }), index('page_visits_user_viewed').on(t.userId, t.viewedAt)]);
// Editor drafts (issue 10, "edits are never lost"): the open editor's text, saved every few seconds,
// one per user and page path (the page may not exist yet). A successful save of the page deletes it.
export const drafts = sqliteTable('drafts', {
  userId: integer('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  spaceId: integer('space_id').notNull().references(() => spaces.id, { onDelete: 'cascade' }),
  path: text('path').notNull(),
  title: text('title').notNull(),
  markdown: text('markdown').notNull(),
  // The page revision the text was started from (null for a page not created yet).
  baseRevision: integer('base_revision'),
  updatedAt: integer('updated_at', { mode: 'number' }).notNull(),
}, (t) => [primaryKey({ columns: [t.userId, t.spaceId, t.path] })]);
// Search synonyms (issue 13): the site's synonym groups, each a set of words or phrases that
// find each other in both directions (报销 = reimbursement = expenses). Sent to Meilisearch.
export const searchSynonyms = sqliteTable('search_synonyms', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  words: text('words', { mode: 'json' }).$type<string[]>().notNull(),
});
// ── E-mail and notification preferences (issue 12, part 4: mail) ───────────────────────────────
// How each person hears of each kind of notification: only in the inbox, by e-mail at once, or in
// a daily digest. A missing row is the kind's default (src/server/mail/prefs.ts).
export const notificationPrefs = sqliteTable('notification_prefs', {
  userId: integer('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  kind: text('kind').notNull(),
  delivery: text('delivery', { enum: ['inbox', 'email', 'digest'] }).notNull(),
}, (t) => [primaryKey({ columns: [t.userId, t.kind] })]);

// The daily digest: up to when each person's inbox items have been put in one (a digest covers
// the items created after the previous one's `until`).
export const mailDigests = sqliteTable('mail_digests', {
  userId: integer('user_id').primaryKey().references(() => users.id, { onDelete: 'cascade' }),
  until: integer('until', { mode: 'number' }).notNull(),
});

// ---- Project phases (issue 11, part 3) ----
// Every phase change of a project, with who, when and why. Append-only.
export const projectPhaseEvents = sqliteTable('project_phase_events', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  projectId: integer('project_id').notNull().references(() => projects.id, { onDelete: 'cascade' }),
  fromPhase: text('from_phase'),
  toPhase: text('to_phase').notNull(),
  actorId: integer('actor_id').references(() => users.id),
  comment: text('comment').notNull().default(''),
  at: createdAt(),
}, (t) => [index('project_phase_events_project').on(t.projectId, t.at)]);
