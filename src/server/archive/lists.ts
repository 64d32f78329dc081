// Lists leave archived spaces and projects out unless the reader asks for them (`?archived=include`).

export const includesArchived = (params: URLSearchParams): boolean => params.get('archived') === 'include';

/** The rows to show, and how many archived ones were left out (for the "Show archived (n)" switch). */
export function archivedShown<T extends { archived: boolean }>(rows: T[], include: boolean): { rows: T[]; hidden: number } {
  if (include) return { rows, hidden: 0 };
  const shown = rows.filter((r) => !r.archived);
  return { rows: shown, hidden: rows.length - shown.length };
}
