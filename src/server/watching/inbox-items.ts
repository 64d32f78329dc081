// What an inbox item about a page (page-changed, page-commented, page-mentioned) shows, decided
// when it is shown: the page's current title and link, and the comment's excerpt, only while the
// recipient may read the page's space and the page exists. Otherwise it says nothing about it.
import type { SpaceRef } from '../access/index.ts';
import { prepared } from '../db.ts';
import { pageHref } from '../markdown/href.ts';

const pageOf = prepared((d) => d.$client.prepare<[number], { spaceId: number; visibility: SpaceRef['visibility']; space: string; path: string; title: string }>(
  `select s.id as spaceId, s.visibility, s.key as space, p.path, p.title from pages p join spaces s on s.id = p.space_id
   where p.id = ? and p.deleted_at is null`,
));
const liveComment = prepared((d) => d.$client.prepare<[number], { id: number }>('select id from page_comments where id = ? and deleted_at is null'));

export interface PageItemFacts {
  title: string | null; href: string | null; page?: { space: string; path: string };
  fromRev?: number; toRev?: number; saves?: number; comment?: string; hidden?: true;
  /** page-review-* items: the review date the reminder is about. */
  due?: string;
}

export function pageItemFacts(kind: string, pageId: number, data: Record<string, unknown>, readable: (space: SpaceRef) => boolean): PageItemFacts {
  const page = pageOf().get(pageId);
  if (!page || !readable({ id: page.spaceId, visibility: page.visibility })) return { title: null, href: null, hidden: true };
  const at = pageHref(page.space, page.path);
  const facts: PageItemFacts = { title: page.title, href: at, page: { space: page.space, path: page.path } };
  if (kind === 'page-changed') {
    const [from, to, saves] = [Number(data.from), Number(data.to), Number(data.saves)];
    Object.assign(facts, { fromRev: from, toRev: to, saves });
    if (from >= 1) facts.href = `${at}?diff&from=${from}&to=${to}`;
  } else if (typeof data.reviewBy === 'string') {
    facts.due = data.reviewBy;
  } else if (typeof data.commentId === 'number' && liveComment().get(data.commentId)) {
    facts.href = `${at}#comment-${data.commentId}`;
    if (typeof data.comment === 'string') facts.comment = data.comment;
  }
  return facts;
}
