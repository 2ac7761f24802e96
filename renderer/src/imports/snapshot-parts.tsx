import { useMutation } from '@tanstack/react-query';
import { CircleCheck } from 'lucide-react';
import type { ReactNode } from 'react';
import type { SnapshotSummaryRecord } from '../../../shared/api/schemas/inventory';
import { call } from '../bridge-client';
import { CopyableHash } from '../components/copyable-hash';
import { ErrorNotice } from '../components/error-notice';
import { formatBytes, formatCount, plural } from '../format';

/** Rows drawn at once; the export holds all of them. */
const SHOWN_PROBLEMS = 500;

/** The files of a snapshot with their sizes and SHA-256, the hashes an auditor compares. */
export function FileHashes({ files }: { files: SnapshotSummaryRecord['files'] }) {
  return (
    <table className="data-table file-table">
      <thead>
        <tr>
          <th scope="col">File</th>
          <th scope="col" className="num">
            Size
          </th>
          <th scope="col">SHA-256</th>
        </tr>
      </thead>
      <tbody>
        {files.map((file) => (
          <tr key={`${file.name}-${file.sha256}`}>
            <td className="file-table-name" title={file.name}>
              {file.name}
            </td>
            <td className="num muted">{formatBytes(file.bytes)}</td>
            <td className="file-table-hash">
              <CopyableHash value={file.sha256} label={`SHA-256 of ${file.name}`} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Rejected rows and notes in one table, by file and row as a spreadsheet shows them. */
export function RejectsTable({
  rejects,
  notes,
}: {
  rejects: SnapshotSummaryRecord['rejects'];
  notes: SnapshotSummaryRecord['notes'];
}) {
  const rows = [
    ...rejects.map((reject) => ({
      file: reject.file,
      row: reject.row,
      kind: 'Rejected',
      text: reject.reason,
    })),
    ...notes.map((note) => ({ file: note.file, row: note.row, kind: 'Note', text: note.message })),
  ];
  const shown = rows.slice(0, SHOWN_PROBLEMS);
  return (
    <>
      <div className="rejects-scroll" tabIndex={0} role="region" aria-label="Rejected rows and notes">
        <table className="data-table rejects-table">
          <thead>
            <tr>
              <th scope="col">File</th>
              <th scope="col" className="num">
                Row
              </th>
              <th scope="col">Kind</th>
              <th scope="col">Reason</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((row, index) => (
              <tr key={index}>
                <td className="rejects-file">{row.file}</td>
                <td className="num">{formatCount(row.row)}</td>
                <td>
                  <span className={row.kind === 'Rejected' ? 'reject-kind' : 'note-kind'}>{row.kind}</span>
                </td>
                <td>{row.text}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {rows.length > shown.length && (
        <p className="muted table-footnote">
          Showing the first {formatCount(shown.length)} of {formatCount(rows.length)}. Export them to see
          every one.
        </p>
      )}
    </>
  );
}

/** "Export rejects…": the core asks where to save, then writes a formula-safe CSV. */
export function useExportRejects() {
  const mutation = useMutation({
    mutationFn: (snapshotId: number) => call('snapshots.exportRejects', { snapshotId }),
  });
  let feedback: ReactNode = null;
  if (mutation.isError) feedback = <ErrorNotice error={mutation.error} />;
  else if (mutation.data && !mutation.data.cancelled) {
    feedback = (
      <div className="notice notice-success" role="status">
        <CircleCheck className="notice-icon" aria-hidden="true" />
        <p>
          Saved {plural(mutation.data.rows, 'row', 'rows')} to{' '}
          <span className="mono">{mutation.data.path}</span>
        </p>
      </div>
    );
  }
  return { run: mutation.mutate, busy: mutation.isPending, feedback };
}
