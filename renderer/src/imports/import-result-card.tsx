import { CircleCheck, Download, Info } from 'lucide-react';
import type { SnapshotSummaryRecord } from '../../../shared/api/schemas/inventory';
import { Button } from '../components/button';
import { formatCount, formatDayTime, plural } from '../format';
import { useFormatLabel } from './format-labels';
import { useImportSession } from './import-session';
import { FileHashes, RejectsTable, useExportRejects } from './snapshot-parts';

/** What one import did: counts, changes, the population evidence, and every row it could not take. */
export function ImportResultCard({ summary }: { summary: SnapshotSummaryRecord }) {
  const { reset } = useImportSession();
  const formatLabel = useFormatLabel();
  const exportRejects = useExportRejects();
  const problems = summary.rejects.length + summary.notes.length;

  return (
    <div className="result">
      {summary.alreadyImported ? (
        <div className="notice notice-info" role="status">
          <Info className="notice-icon" aria-hidden="true" />
          <p>
            These exact files were imported on {formatDayTime(summary.importedAt)} as snapshot{' '}
            {summary.snapshotId}; nothing was added.
          </p>
        </div>
      ) : (
        <div className="notice notice-success" role="status">
          <CircleCheck className="notice-icon" aria-hidden="true" />
          <p>
            <span className="notice-title">
              Imported {plural(summary.imported, 'identity', 'identities')} into{' '}
              <span className="notice-source">{summary.source}</span>.
            </span>{' '}
            Saved as snapshot {summary.snapshotId}.
          </p>
        </div>
      )}

      <div className="stat-groups">
        <dl className="stat-group" aria-label="Rows">
          <Stat label="Rows read" value={summary.rowsRead} />
          <Stat label="Imported" value={summary.imported} />
          <Stat
            label="Rejected"
            value={summary.rejected}
            tone={summary.rejected > 0 ? 'danger' : undefined}
          />
          <Stat label="Skipped" value={summary.skipped} />
        </dl>
        <dl className="stat-group" aria-label="Changes">
          <Stat label="Added" value={summary.added} />
          <Stat label="Changed" value={summary.changed} />
          <Stat label="Unchanged" value={summary.unchanged} />
          <Stat label="Not seen" value={summary.notSeen} tone={summary.notSeen > 0 ? 'warning' : undefined} />
        </dl>
      </div>

      <dl className="facts result-facts">
        <div className="fact">
          <dt>Source</dt>
          <dd className="result-source">{summary.source}</dd>
        </div>
        <div className="fact">
          <dt>Format</dt>
          <dd>{formatLabel(summary.preset)}</dd>
        </div>
        <div className="fact">
          <dt>Population</dt>
          <dd>
            {summary.full ? (
              <>
                <span className="fact-value">Full export</span>
                <span className="fact-note">
                  Identities of this source missing from it are marked not seen.
                </span>
              </>
            ) : (
              <>
                <span className="fact-value">Partial export</span>
                <span className="fact-note">
                  It lists only part of the source, so nothing was marked not seen.
                </span>
              </>
            )}
          </dd>
        </div>
        <div className="fact">
          <dt>Imported</dt>
          <dd>
            {formatDayTime(summary.importedAt)} by {summary.importedBy}
          </dd>
        </div>
      </dl>

      <FileHashes files={summary.files} />

      <section className="preview-section" aria-labelledby="result-problems">
        <div className="section-header">
          <h3 id="result-problems" className="section-title">
            Rejects and notes
            <span className="section-note">
              {problems === 0
                ? 'Every row was read without a problem.'
                : `${plural(summary.rejects.length, 'row', 'rows')} rejected, ${plural(summary.notes.length, 'note', 'notes')}`}
            </span>
          </h3>
          {problems > 0 && (
            <Button
              icon={Download}
              onClick={() => exportRejects.run(summary.snapshotId)}
              busy={exportRejects.busy}
              busyLabel="Saving…"
            >
              Export rejects…
            </Button>
          )}
        </div>
        {exportRejects.feedback}
        {problems > 0 && <RejectsTable rejects={summary.rejects} notes={summary.notes} />}
      </section>

      <div className="preview-actions">
        <Button variant="primary" onClick={reset}>
          Import other files
        </Button>
      </div>
    </div>
  );
}

function Stat({ label, value, tone }: { label: string; value: number; tone?: 'danger' | 'warning' }) {
  return (
    <div className="stat" data-tone={tone}>
      <dt className="stat-label">{label}</dt>
      <dd className="stat-value">{formatCount(value)}</dd>
    </div>
  );
}
