// Dossier's tables. SQLite is the source of truth; Meilisearch is derived from these rows.
import { sql } from 'drizzle-orm';
import { blob, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

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
  createdAt: createdAt(),
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
}, (t) => [
  uniqueIndex('pages_live_path').on(t.spaceId, t.path).where(sql`deleted_at is null`),
  index('pages_live_title').on(t.spaceId, t.titleKey).where(sql`deleted_at is null`),
]);

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
  createdAt: createdAt(),
}, (t) => [index('outbox_due').on(t.runAfter)]);

export const groups = sqliteTable('groups', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  name: text('name').notNull().unique(),
  // 'oidc' for groups created and kept in step by the identity provider's groups claim.
  origin: text('origin', { enum: ['local', 'oidc'] }).notNull().default('local'),
  createdAt: createdAt(),
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
}, (t) => [index('audit_actor').on(t.actorId), index('audit_action').on(t.action)]);

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

// Failed sign-ins, by account and by client address, for rate limiting (kept 15 minutes).
export const signInFailures = sqliteTable('sign_in_failures', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  key: text('key').notNull(),
  at: integer('at', { mode: 'number' }).notNull(),
}, (t) => [index('sign_in_failures_key').on(t.key, t.at)]);

// Sign-ins in flight with the identity provider: state, nonce and PKCE verifier (kept 10 minutes).
export const oidcLogins = sqliteTable('oidc_logins', {
  state: text('state').primaryKey(),
  nonce: text('nonce').notNull(),
  verifier: text('verifier').notNull(),
  next: text('next').notNull(),
  createdAt: createdAt(),
});
