import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { CircleCheck, Info, Users } from 'lucide-react';
import { call, queryKeys } from '../bridge-client';
import { Button } from '../components/button';
import { ErrorNotice } from '../components/error-notice';
import { formatCount, formatDayTime, plural } from '../format';
import { FileHashes, RejectsTable } from './snapshot-parts';

const ROSTER_SOURCE_KIND = 'hr';

/**
 * The HR roster: one export of people replaces the last. Owners of identities are resolved against it,
 * which is how the inventory knows an owner has left.
 */
export function RosterSection() {
  const queryClient = useQueryClient();
  const history = useQuery({
    queryKey: [...queryKeys.snapshots, 'list'],
    queryFn: () => call('snapshots.list', { limit: 200 }),
  });
  const current = history.data?.find((snapshot) => snapshot.sourceKind === ROSTER_SOURCE_KIND) ?? null;
  const roster = useMutation({
    mutationFn: async () => {
      const chosen = await call('imports.chooseFiles', {});
      const path = chosen.paths[0];
      if (chosen.cancelled || path === undefined) return null;
      return call('people.import', { path });
    },
    onSuccess: (summary) => {
      if (!summary) return;
      // Owner statuses in the inventory change with the roster.
      void queryClient.invalidateQueries({ queryKey: queryKeys.inventory });
      void queryClient.invalidateQueries({ queryKey: queryKeys.snapshots });
    },
  });
  const summary = roster.data ?? null;

  return (
    <section className="panel" aria-labelledby="roster-title">
      <div className="section-header">
        <div className="section-heading">
          <h2 id="roster-title" className="panel-title">
            HR roster
          </h2>
          <p className="panel-description">
            Owners are checked against the people in your HR export: who is active, and who has left.
          </p>
        </div>
        <Button icon={Users} onClick={() => roster.mutate()} busy={roster.isPending} busyLabel="Importing…">
          Import roster…
        </Button>
      </div>
      {roster.isError && <ErrorNotice error={roster.error} />}
      {summary ? (
        <div className="roster-result">
          {summary.alreadyImported ? (
            <div className="notice notice-info" role="status">
              <Info className="notice-icon" aria-hidden="true" />
              <p>
                This exact roster is the one already in use (snapshot {summary.snapshotId}); nothing changed.
              </p>
            </div>
          ) : (
            <div className="notice notice-success" role="status">
              <CircleCheck className="notice-icon" aria-hidden="true" />
              <p>
                <span className="notice-title">Roster imported.</span> Owners are now resolved against{' '}
                {plural(summary.imported, 'person', 'people')}.
              </p>
            </div>
          )}
          <dl className="stat-group roster-stats" aria-label="Roster">
            <div className="stat">
              <dt className="stat-label">Active</dt>
              <dd className="stat-value">{formatCount(summary.active)}</dd>
            </div>
            <div className="stat" data-tone={summary.terminated > 0 ? 'danger' : undefined}>
              <dt className="stat-label">Terminated</dt>
              <dd className="stat-value">{formatCount(summary.terminated)}</dd>
            </div>
            <div className="stat" data-tone={summary.rejected > 0 ? 'danger' : undefined}>
              <dt className="stat-label">Rejected</dt>
              <dd className="stat-value">{formatCount(summary.rejected)}</dd>
            </div>
            <div className="stat">
              <dt className="stat-label">Rows read</dt>
              <dd className="stat-value">{formatCount(summary.rowsRead)}</dd>
            </div>
          </dl>
          <FileHashes files={summary.files} />
          {summary.rejects.length > 0 && <RejectsTable rejects={summary.rejects} notes={[]} />}
        </div>
      ) : current ? (
        <p className="roster-current">
          In use: <span className="roster-file">{current.files.map((file) => file.name).join(', ')}</span>,
          imported {formatDayTime(current.importedAt)} by {current.importedBy},{' '}
          {plural(current.imported, 'person', 'people')}.
        </p>
      ) : (
        history.isSuccess && (
          <p className="roster-current muted">No roster yet: every owner shows as not in roster.</p>
        )
      )}
    </section>
  );
}
