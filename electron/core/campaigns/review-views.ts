import type { z } from 'zod';
import { AppError } from '../../../shared/api/errors';
import type { QueueFilters, savedViewSchema } from '../../../shared/api/schemas/review-queue';
import type { Db } from '../db/open-database';

type SavedView = z.output<typeof savedViewSchema>;

/** The views every reviewer starts with. */
export const BUILT_IN_VIEWS: readonly SavedView[] = [
  {
    id: 'builtin:high-risk-undecided',
    name: 'High risk, undecided',
    builtIn: true,
    filters: { highRiskOnly: true, decision: 'pending' },
  },
  { id: 'builtin:mine-overdue', name: 'Mine, overdue', builtIn: true, filters: { overdueOnly: true } },
];

/** Filters without the empty parts, so a saved view reads the way it was meant. */
function compact(filters: QueueFilters): QueueFilters {
  const out: QueueFilters = {};
  if (filters.search?.trim()) out.search = filters.search.trim();
  if (filters.decision) out.decision = filters.decision;
  if (filters.signals && filters.signals.length > 0) out.signals = [...filters.signals];
  if (filters.highRiskOnly) out.highRiskOnly = true;
  if (filters.overdueOnly) out.overdueOnly = true;
  return out;
}

export function listViews(db: Db): SavedView[] {
  const saved = db
    .prepare('SELECT id, name, filters FROM review_views ORDER BY name COLLATE NOCASE')
    .all() as Array<{ id: number; name: string; filters: string }>;
  return [
    ...BUILT_IN_VIEWS,
    ...saved.map((row) => ({
      id: String(row.id),
      name: row.name,
      builtIn: false,
      filters: JSON.parse(row.filters) as QueueFilters,
    })),
  ];
}

/** Saves the filters under a name; saving an existing name replaces its filters. */
export function saveView(db: Db, name: string, filters: QueueFilters): SavedView {
  const trimmed = name.trim();
  if (BUILT_IN_VIEWS.some((view) => view.name.toLowerCase() === trimmed.toLowerCase()))
    throw new AppError('INVALID_INPUT', `"${trimmed}" is a built-in view; save yours under another name.`);
  const stored = compact(filters);
  const row = db
    .prepare(
      `INSERT INTO review_views (name, filters, created_at) VALUES (?, ?, ?)
       ON CONFLICT (name) DO UPDATE SET filters = excluded.filters
       RETURNING id, name`,
    )
    .get(trimmed, JSON.stringify(stored), new Date().toISOString()) as { id: number; name: string };
  return { id: String(row.id), name: row.name, builtIn: false, filters: stored };
}

export function removeView(db: Db, id: string): { removed: boolean } {
  if (id.startsWith('builtin:')) throw new AppError('INVALID_INPUT', 'Built-in views cannot be removed.');
  const numeric = Number(id);
  if (!Number.isInteger(numeric) || numeric <= 0)
    throw new AppError('INVALID_INPUT', `There is no saved view "${id}".`);
  const { changes } = db.prepare('DELETE FROM review_views WHERE id = ?').run(numeric);
  return { removed: changes > 0 };
}
