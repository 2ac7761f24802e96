import { useQuery } from '@tanstack/react-query';
import { ChevronRight, Download } from 'lucide-react';
import { Fragment, useState } from 'react';
import type { z } from 'zod';
import type { snapshotListItemSchema } from '../../../shared/api/schemas/imports';
import { call, queryKeys } from '../bridge-client';
import { Button } from '../components/button';
import { ErrorNotice } from '../components/error-notice';
import { formatCount, formatDayTime, plural } from '../format';
import { useFormatLabel } from './format-labels';
import { FileHashes, RejectsTable, useExportRejects } from './snapshot-parts';

type SnapshotListItem = z.infer<typeof snapshotListItemSchema>;

/** Every import into this vault, newest first: when, from where, by whom, and the hashes of its files. */
export function ImportHistory() {
  const history = useQuery({
    queryKey: [...queryKeys.snapshots, 'list'],
    queryFn: () => call('snapshots.list', { limit: 200 }),
  });
  const formatLabel = useFormatLabel();
  const [open, setOpen] = useState<Set<number>>(() => new Set());
  const toggle = (snapshotId: number) =>
    setOpen((previous) => {
      const next = new Set(previous);
      if (next.has(snapshotId)) next.delete(snapshotId);
      else next.add(snapshotId);
      return next;
    });

  return (
    <section className="panel" aria-labelledby="history-title">
      <h2 id="history-title" className="panel-title">
        Import history
      </h2>
      {history.isError && <ErrorNotice error={history.error} />}
      {history.isSuccess && history.data.length === 0 && (
        <p className="muted">
          Nothing imported yet. Each import will be listed here with its files and their hashes.
        </p>
      )}
      {history.isSuccess && history.data.length > 0 && (
        <table className="data-table history-table">
          <thead>
            <tr>
              <th scope="col" className="history-toggle-cell">
                <span className="visually-hidden">Details</span>
              </th>
              <th scope="col">Imported</th>
              <th scope="col">Source</th>
              <th scope="col">Format</th>
              <th scope="col">Files</th>
              <th scope="col" className="num">
                Read
              </th>
              <th scope="col" className="num">
                Imported
              </th>
              <th scope="col" className="num">
                Rejected
              </th>
              <th scope="col">Population</th>
            </tr>
          </thead>
          <tbody>
            {history.data.map((snapshot) => {
              const expanded = open.has(snapshot.snapshotId);
              const detailsId = `snapshot-${snapshot.snapshotId}-details`;
              return (
                <Fragment key={snapshot.snapshotId}>
                  <tr className="history-row" data-expanded={expanded || undefined}>
                    <td className="history-toggle-cell">
                      <button
                        type="button"
                        className="icon-button history-toggle"
                        aria-expanded={expanded}
                        aria-controls={expanded ? detailsId : undefined}
                        aria-label={`Files of snapshot ${snapshot.snapshotId}`}
                        onClick={() => toggle(snapshot.snapshotId)}
                      >
                        <ChevronRight aria-hidden="true" />
                      </button>
                    </td>
                    <td className="history-when">
                      {formatDayTime(snapshot.importedAt)}
                      <span className="history-by">by {snapshot.importedBy}</span>
                    </td>
                    <td className="history-source" title={snapshot.source}>
                      {snapshot.source}
                    </td>
                    <td className="history-format" title={formatLabel(snapshot.preset)}>
                      {formatLabel(snapshot.preset)}
                    </td>
                    <td className="history-files" title={snapshot.files.map((file) => file.name).join('\n')}>
                      {snapshot.files[0]?.name}
                      {snapshot.files.length > 1 && (
                        <span className="muted"> +{snapshot.files.length - 1}</span>
                      )}
                    </td>
                    <td className="num">{formatCount(snapshot.rowsRead)}</td>
                    <td className="num">{formatCount(snapshot.imported)}</td>
                    <td className="num" data-tone={snapshot.rejected > 0 ? 'danger' : undefined}>
                      {formatCount(snapshot.rejected)}
                    </td>
                    <td className="muted">{snapshot.full ? 'Full' : 'Partial'}</td>
                  </tr>
                  {expanded && (
                    <tr className="history-details-row">
                      <td />
                      <td colSpan={8} id={detailsId}>
                        <SnapshotDetails snapshot={snapshot} />
                      </td>
                    </tr>
                  )}
                </Fragment>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}

function SnapshotDetails({ snapshot }: { snapshot: SnapshotListItem }) {
  const details = useQuery({
    queryKey: [...queryKeys.snapshots, 'get', snapshot.snapshotId],
    queryFn: () => call('snapshots.get', { snapshotId: snapshot.snapshotId }),
  });
  const exportRejects = useExportRejects();
  const problems = details.data ? details.data.rejects.length + details.data.notes.length : 0;
  return (
    <div className="snapshot-details">
      <p className="snapshot-details-title">
        Snapshot {snapshot.snapshotId} · {plural(snapshot.files.length, 'file', 'files')}
      </p>
      <FileHashes files={snapshot.files} />
      {details.isError && <ErrorNotice error={details.error} />}
      {details.data && problems > 0 && (
        <>
          <div className="section-header">
            <p className="snapshot-details-title">
              {plural(details.data.rejects.length, 'row', 'rows')} rejected,{' '}
              {plural(details.data.notes.length, 'note', 'notes')}
            </p>
            <Button
              icon={Download}
              onClick={() => exportRejects.run(snapshot.snapshotId)}
              busy={exportRejects.busy}
              busyLabel="Saving…"
            >
              Export rejects…
            </Button>
          </div>
          {exportRejects.feedback}
          <RejectsTable rejects={details.data.rejects} notes={details.data.notes} />
        </>
      )}
    </div>
  );
}
