import { useMutation, useQuery } from '@tanstack/react-query';
import {
  CircleCheck,
  CircleStop,
  ExternalLink,
  FileSpreadsheet,
  FileText,
  FolderOpen,
  Info,
  KeyRound,
  ListChecks,
  ShieldCheck,
} from 'lucide-react';
import { useState } from 'react';
import type { MethodOutput } from '../../../shared/api/contract';
import { call, queryKeys } from '../bridge-client';
import { Badge } from '../components/badge';
import { Button } from '../components/button';
import { ProgressBar } from '../components/progress-bar';
import { CopyableHash } from '../components/copyable-hash';
import { EmptyState } from '../components/empty-state';
import { ErrorNotice } from '../components/error-notice';
import { formatBytes, formatCount, formatDay, plural } from '../format';
import { fileName, folderOf } from './evidence-format';
import type { ExportOutcome, PackExport, RunningExport } from './use-pack-exports';
import type { usePackExports } from './use-pack-exports';

type Campaign = MethodOutput<'campaigns.list'>[number];

/** Closed campaigns first (their pack is final), then open ones; newest first within each. */
function evidenceOrder(campaigns: Campaign[]): Campaign[] {
  const rank = (campaign: Campaign) => (campaign.state === 'closed' ? 0 : 1);
  return campaigns
    .filter((campaign) => campaign.state !== 'draft')
    .sort((a, b) => rank(a) - rank(b) || b.id - a.id);
}

/** The campaigns whose evidence can be generated, each with its pack's progress and result. */
export function CampaignPacks({
  hasSigner,
  exports,
  onShowSigner,
  onVerify,
}: {
  hasSigner: boolean;
  exports: ReturnType<typeof usePackExports>;
  onShowSigner: () => void;
  onVerify: (path: string) => void;
}) {
  const campaigns = useQuery({
    queryKey: [...queryKeys.campaigns, 'list'],
    queryFn: () => call('campaigns.list', {}),
  });
  const listed = campaigns.data ? evidenceOrder(campaigns.data) : [];
  const drafts = campaigns.data?.filter((campaign) => campaign.state === 'draft').length ?? 0;

  return (
    <section className="panel evidence-panel" aria-labelledby="packs-title">
      <div className="evidence-panel-head">
        <h2 id="packs-title" className="panel-title">
          Evidence packs
        </h2>
      </div>
      <p className="panel-description">
        One signed PDF per campaign: the population with each import’s hash, every decision by reviewer,
        revocations, exceptions, sign-offs and the decision log’s head, with the log attached. The XLSX
        workpapers hold the same figures for sampling.
      </p>
      {campaigns.isError && <ErrorNotice error={campaigns.error} />}
      {campaigns.isSuccess && listed.length > 0 && !hasSigner && (
        <div className="notice notice-warning" role="note">
          <KeyRound className="notice-icon" aria-hidden="true" />
          <div className="notice-row">
            <p>
              <span className="notice-title">
                Packs are signed, and this vault has no signing certificate.
              </span>{' '}
              Create one or import your organisation’s under Signing certificate, then generate.
            </p>
            <Button variant="quiet" onClick={onShowSigner}>
              Set up the certificate
            </Button>
          </div>
        </div>
      )}
      {campaigns.isSuccess && listed.length === 0 && (
        <EmptyState icon={ListChecks} title="No campaign to evidence yet">
          Launch a review campaign on the Campaigns page. Once its reviewers have decided and you have closed
          it, generate its signed evidence pack here for your auditor.
          {drafts > 0 &&
            ` (${plural(drafts, 'draft campaign is', 'draft campaigns are')} waiting to be launched.)`}
        </EmptyState>
      )}
      {listed.length > 0 && (
        <ul className="pack-list">
          {listed.map((campaign) => (
            <CampaignPackRow
              key={campaign.id}
              campaign={campaign}
              hasSigner={hasSigner}
              running={exports.running}
              outcome={exports.outcomes[campaign.id] ?? null}
              onGenerate={(workpapers) => void exports.generate(campaign.id, workpapers)}
              onCancel={exports.cancel}
              onVerify={onVerify}
            />
          ))}
        </ul>
      )}
      {listed.length > 0 && drafts > 0 && (
        <p className="muted pack-footnote">
          {plural(drafts, 'draft campaign is', 'draft campaigns are')} not listed: a campaign has evidence
          once it is launched.
        </p>
      )}
    </section>
  );
}

function CampaignPackRow({
  campaign,
  hasSigner,
  running,
  outcome,
  onGenerate,
  onCancel,
  onVerify,
}: {
  campaign: Campaign;
  hasSigner: boolean;
  running: RunningExport | null;
  outcome: ExportOutcome | null;
  onGenerate: (workpapers: boolean) => void;
  onCancel: () => void;
  onVerify: (path: string) => void;
}) {
  const [workpapers, setWorkpapers] = useState(true);
  const status = useQuery({
    queryKey: [...queryKeys.campaigns, campaign.id, 'status'],
    queryFn: () => call('campaigns.status', { campaignId: campaign.id }),
  });
  const mine = running?.campaignId === campaign.id ? running : null;
  const titleId = `pack-${campaign.id}-title`;
  const pending = status.data ? (status.data.byDecision.pending ?? 0) : null;

  return (
    <li className="pack" aria-labelledby={titleId} data-running={mine ? true : undefined}>
      <div className="pack-head">
        <span className="pack-icon" aria-hidden="true">
          <FileText />
        </span>
        <div className="pack-summary">
          <h3 id={titleId} className="pack-title">
            {campaign.name}{' '}
            {campaign.state === 'closed' ? (
              <Badge tone="success">Closed</Badge>
            ) : (
              <Badge tone="warning">Open</Badge>
            )}
          </h3>
          <p className="pack-meta">
            {campaign.period && <span>{campaign.period}</span>}
            <span>as of {formatDay(campaign.asOf)}</span>
            <span>{plural(campaign.items, 'item', 'items')}</span>
            {status.data && (
              <span>
                {formatCount(status.data.decided)} of {formatCount(status.data.total)} decided
              </span>
            )}
            {campaign.closedAt ? (
              <span>closed {formatDay(campaign.closedAt)}</span>
            ) : (
              campaign.due && <span>due {formatDay(campaign.due)}</span>
            )}
          </p>
        </div>
        {!mine && (
          <div className="pack-actions">
            <label className="pack-option">
              <input
                type="checkbox"
                checked={workpapers}
                onChange={(event) => setWorkpapers(event.target.checked)}
              />
              Also save the XLSX workpapers
            </label>
            <Button
              variant={campaign.state === 'closed' ? 'primary' : 'secondary'}
              icon={ShieldCheck}
              disabled={!hasSigner || running !== null}
              title={hasSigner ? undefined : 'Set up a signing certificate first'}
              onClick={() => onGenerate(workpapers)}
            >
              {outcome?.kind === 'written' ? 'Generate again…' : 'Generate evidence pack…'}
            </Button>
          </div>
        )}
      </div>
      {campaign.state === 'open' && !mine && (
        <p className="pack-note">
          <Info aria-hidden="true" />
          <span>
            Still open
            {pending !== null && pending > 0 ? `: ${plural(pending, 'item is', 'items are')} pending` : ''}.
            The pack will show undecided items as pending; generate it again after the close for the final
            evidence.
          </span>
        </p>
      )}
      {mine && <PackProgress running={mine} onCancel={onCancel} />}
      {!mine && outcome?.kind === 'cancelled' && (
        <div className="notice notice-info" role="status">
          <Info className="notice-icon" aria-hidden="true" />
          <p>Generation cancelled. No file was written.</p>
        </div>
      )}
      {!mine && outcome?.kind === 'failed' && <ErrorNotice error={outcome.error} />}
      {!mine && outcome?.kind === 'written' && <PackResult pack={outcome.pack} onVerify={onVerify} />}
    </li>
  );
}

function PackProgress({ running, onCancel }: { running: RunningExport; onCancel: () => void }) {
  const { progress, cancelRequested } = running;
  const percent =
    progress && progress.total ? Math.min(100, Math.round((progress.done / progress.total) * 100)) : null;
  return (
    <div className="progress-card pack-progress">
      <p className="progress-title">
        {cancelRequested
          ? 'Cancelling…'
          : progress
            ? `${progress.label}…`
            : 'Choose where to save the pack; Steward then draws, signs and writes it.'}
      </p>
      <ProgressBar
        label="Evidence pack progress"
        percent={percent}
        valueText={
          progress
            ? `${progress.label}: ${formatCount(progress.done)}${progress.total ? ` of ${formatCount(progress.total)}` : ''}`
            : 'Waiting for the save dialog'
        }
      />
      <div className="progress-footer">
        <p className="progress-numbers" aria-live="polite">
          {cancelRequested ? (
            'Stopping… nothing will be written.'
          ) : progress ? (
            <>
              <strong>{formatCount(progress.done)}</strong>
              {progress.total ? ` of ${formatCount(progress.total)}` : ''}
              {percent !== null && <span className="muted"> · {percent}%</span>}
            </>
          ) : (
            <span className="muted">Nothing is written until the pack is complete and signed.</span>
          )}
        </p>
        <Button icon={CircleStop} onClick={onCancel} busy={cancelRequested} busyLabel="Cancelling…">
          Cancel
        </Button>
      </div>
    </div>
  );
}

function PackResult({ pack, onVerify }: { pack: PackExport; onVerify: (path: string) => void }) {
  const open = useMutation({ mutationFn: (path: string) => call('evidence.openFile', { path }) });
  const show = useMutation({ mutationFn: (path: string) => call('evidence.showFile', { path }) });
  const failure = open.error ?? show.error;

  return (
    <div className="pack-result">
      <div className="notice notice-success" role="status">
        <CircleCheck className="notice-icon" aria-hidden="true" />
        <p>
          <span className="notice-title">Signed and saved {fileName(pack.pdfPath)}</span>
          <span className="pack-result-sub">
            {' '}
            · {formatBytes(pack.bytes)} · {plural(pack.pages, 'page', 'pages')} ·{' '}
            {plural(pack.decisions, 'decision', 'decisions')}
          </span>
        </p>
      </div>
      <dl className="facts pack-facts">
        <div className="fact">
          <dt>PDF</dt>
          <dd>
            <span className="fact-value">{fileName(pack.pdfPath)}</span>
            <span className="fact-note fact-path">{folderOf(pack.pdfPath)}</span>
          </dd>
        </div>
        <div className="fact">
          <dt>SHA-256</dt>
          <dd>
            <CopyableHash value={pack.sha256} label="SHA-256 of the PDF" />
          </dd>
        </div>
        <div className="fact">
          <dt>Decision log head</dt>
          <dd className="pack-log-head">
            <span className="fact-value">Record {formatCount(pack.logHead.seq)}</span>
            <CopyableHash value={pack.logHead.hash} label="decision log head hash" />
          </dd>
        </div>
        <div className="fact">
          <dt>Signed with</dt>
          <dd>
            <CopyableHash value={pack.signerFingerprint} label="signing certificate fingerprint" />
          </dd>
        </div>
        {pack.xlsxPath && (
          <div className="fact">
            <dt>Workpapers</dt>
            <dd>
              <span className="fact-value">
                {fileName(pack.xlsxPath)}
                {pack.xlsxBytes !== null && <span className="muted"> · {formatBytes(pack.xlsxBytes)}</span>}
              </span>
              <span className="fact-note fact-path">{folderOf(pack.xlsxPath)}</span>
            </dd>
          </div>
        )}
      </dl>
      {failure !== null && <ErrorNotice error={failure} />}
      <div className="pack-result-actions">
        <Button variant="primary" icon={ExternalLink} onClick={() => open.mutate(pack.pdfPath)}>
          Open PDF
        </Button>
        <Button icon={FolderOpen} onClick={() => show.mutate(pack.pdfPath)}>
          Show in folder
        </Button>
        {pack.xlsxPath && (
          <Button icon={FileSpreadsheet} onClick={() => show.mutate(pack.xlsxPath!)}>
            Show workpapers
          </Button>
        )}
        <Button variant="quiet" icon={ShieldCheck} onClick={() => onVerify(pack.pdfPath)}>
          Verify this pack
        </Button>
      </div>
    </div>
  );
}
