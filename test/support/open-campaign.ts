/**
 * A launched campaign's record as `getCampaign` returns it, for tests that build queue queries against
 * a bare migrated database (the plans depend on the schema, not on any rows).
 */
export const OPEN_CAMPAIGN = {
  id: 1,
  name: 'Q4',
  period: null,
  asOf: '2026-11-01',
  due: '2026-11-30',
  scope: { sources: [], kinds: [], environments: [], signals: [] },
  owner: 'ana.silva@northwindlogistics.example',
  state: 'open' as const,
  createdAt: '2026-11-01T00:00:00Z',
  launchedAt: '2026-11-01T00:00:00Z',
  closedAt: null,
  items: 0,
};
