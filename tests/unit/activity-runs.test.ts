import { describe, expect, it } from 'vitest';
import { activityLines, RUN_MIN } from '../../src/server/projects/activity-runs.ts';
import type { ActivityItem } from '../../src/server/projects/overview.ts';

const at = (s: number) => new Date(Date.UTC(2026, 11, 5, 10, 0, 0) - s * 1000).toISOString();
const ana = { email: 'ana@example.com', name: 'Ana' };
const mentioned = (key: string, s: number, actor: ActivityItem['actor'] = null): ActivityItem => ({ kind: 'requirement', at: at(s), actor, key, title: `Title of ${key}`, event: 'mentioned' });
const created = (path: string, s: number, revision = 1, message = ''): ActivityItem => ({ kind: 'page', at: at(s), actor: ana, space: 'atlas', path, title: path.toUpperCase(), revision, message });

describe('activity lines', () => {
  it('makes a run of like requirement events one line, each requirement once', () => {
    const lines = activityLines([mentioned('A-1', 0), mentioned('A-2', 0), mentioned('A-1', 1), mentioned('A-3', 2)]);
    expect(lines).toEqual([{ kind: 'requirements', at: at(0), actor: null, event: 'mentioned', requirements: [{ key: 'A-1', title: 'Title of A-1' }, { key: 'A-2', title: 'Title of A-2' }, { key: 'A-3', title: 'Title of A-3' }] }]);
  });

  it('keeps short runs, other people, other events and events a minute apart as they are', () => {
    const few = Array.from({ length: RUN_MIN - 1 }, (_, i) => mentioned(`A-${i}`, i));
    expect(activityLines(few)).toEqual(few);
    const mixed = [mentioned('A-1', 0), mentioned('A-2', 0, ana), mentioned('A-3', 0), { ...mentioned('A-4', 0), event: 'commented' as const }];
    expect(activityLines(mixed)).toEqual(mixed);
    const spread = [mentioned('A-1', 0), mentioned('A-2', 40), mentioned('A-3', 61)];
    expect(activityLines(spread)).toEqual(spread);
  });

  it('makes new pages saved at once one line, but never edits or pages saved with a message', () => {
    const lines = activityLines([created('a', 0), created('b', 0), created('c', 1), created('d', 2, 2), created('e', 3, 1, 'first draft')]);
    expect(lines.map((l) => l.kind)).toEqual(['pages', 'page', 'page']);
    expect(lines[0]).toMatchObject({ actor: ana, pages: [{ path: 'a' }, { path: 'b' }, { path: 'c' }] });
  });

  it('leaves phase changes alone and keeps the order of everything else', () => {
    const phase: ActivityItem = { kind: 'phase', at: at(0), actor: ana, from: 'a', to: 'b', comment: '' };
    const lines = activityLines([phase, mentioned('A-1', 0), mentioned('A-2', 0), mentioned('A-3', 0), phase]);
    expect(lines.map((l) => l.kind)).toEqual(['phase', 'requirements', 'phase']);
  });
});
