import { useMutation } from '@tanstack/react-query';
import { call } from '../bridge-client';
import { ErrorNotice } from '../components/error-notice';
import { PageHeader } from '../pages/page-header';
import { DropZone } from './drop-zone';
import { ImportHistory } from './import-history';
import { ImportPreviewCard } from './import-preview-card';
import { ImportProgressCard } from './import-progress-card';
import { ImportResultCard } from './import-result-card';
import { useImportSession } from './import-session';
import { RosterSection } from './roster-section';
import { useDropTarget } from './use-drop-target';
import './imports.css';

/**
 * Bring exports into the vault: choose or drop files, check what Steward recognised (or map the
 * columns), import with progress, and keep the evidence of every import in the history below.
 */
export function ImportsPage() {
  const session = useImportSession();
  const { step } = session.state;
  const drop = useDropTarget(step.kind !== 'running');
  const choose = useMutation({
    mutationFn: () => call('imports.chooseFiles', {}),
    onSuccess: (chosen) => {
      if (!chosen.cancelled && chosen.paths.length > 0) session.openPaths(chosen.paths);
    },
  });

  return (
    <>
      <PageHeader
        title="Imports"
        description="Each import is kept as a snapshot with its file hashes and row counts: the completeness evidence your auditor will ask for."
      />
      <div className="imports-layout">
        <section
          className="panel import-panel"
          aria-labelledby="import-export-title"
          data-drop-over={(drop.over && step.kind !== 'idle') || undefined}
          {...drop.handlers}
        >
          <h2 id="import-export-title" className="panel-title">
            Import an export
          </h2>
          {step.kind === 'idle' && (
            <DropZone active={drop.over} choosing={choose.isPending} onChoose={() => choose.mutate()} />
          )}
          {choose.isError && <ErrorNotice error={choose.error} />}
          {step.kind === 'preview' && (
            <ImportPreviewCard choosing={choose.isPending} onChooseOther={() => choose.mutate()} />
          )}
          {step.kind === 'running' && <ImportProgressCard />}
          {step.kind === 'result' && <ImportResultCard summary={step.summary} />}
        </section>
        <RosterSection />
        <ImportHistory />
      </div>
    </>
  );
}
