import { useMutation } from '@tanstack/react-query';
import { CircleCheck, CircleMinus, CircleX, FileSearch, ShieldCheck, ShieldX } from 'lucide-react';
import { useEffect, useEffectEvent, useId, useState, type Ref } from 'react';
import type { MethodOutput } from '../../../shared/api/contract';
import { call, useCoreEvent } from '../bridge-client';
import { Badge } from '../components/badge';
import { Button } from '../components/button';
import { CopyableHash } from '../components/copyable-hash';
import { ErrorNotice } from '../components/error-notice';
import { formatCount, formatDayTime } from '../format';
import { useDropTarget } from '../imports/use-drop-target';
import { fileName, folderOf, parseTrustedFingerprints } from './evidence-format';

type Verification = MethodOutput<'evidence.verify'>;
type Check = Verification['checks'][number];

/** A file to verify and the moment it was asked for, so the same path asked twice verifies twice. */
export interface VerifyRequest {
  path: string;
  at: number;
}

/**
 * Verifies any evidence PDF on its own bytes, as an auditor would: drop it or choose it, optionally
 * with the fingerprints you trust, and read the verdict check by check.
 */
export function VerifyPanel({
  request,
  onRequest,
  ownFingerprint,
  headingRef,
}: {
  request: VerifyRequest | null;
  onRequest: (path: string) => void;
  ownFingerprint: string | null;
  headingRef?: Ref<HTMLHeadingElement>;
}) {
  const trustId = useId();
  const [trustText, setTrustText] = useState('');
  const [extraDropped, setExtraDropped] = useState(0);
  const verify = useMutation({
    mutationFn: (input: { path: string; trust: string[] }) => call('evidence.verify', input),
  });
  const { mutate } = verify;
  const drop = useDropTarget(!verify.isPending);
  const choose = useMutation({
    mutationFn: () => call('evidence.chooseFile', {}),
    onSuccess: (chosen) => {
      if (!chosen.cancelled && chosen.path) onRequest(chosen.path);
    },
  });

  // Only the preload can read a dropped file's path; the core announces it.
  useCoreEvent('imports.filesDropped', ({ paths }) => {
    const first = paths[0];
    if (!first) return;
    setExtraDropped(paths.length - 1);
    onRequest(first);
  });

  const trustAtRequest = parseTrustedFingerprints(trustText);
  // Each request (a drop, a choice, "Verify this pack") verifies with the fingerprints trusted at that
  // moment; editing them afterwards waits for "Verify again".
  const verifyRequested = useEffectEvent((path: string) => mutate({ path, trust: trustAtRequest }));
  useEffect(() => {
    if (request) verifyRequested(request.path);
  }, [request]);

  const again = () => {
    if (request) mutate({ path: request.path, trust: trustAtRequest });
  };
  const addOwn = () => {
    if (!ownFingerprint || trustAtRequest.includes(ownFingerprint)) return;
    setTrustText((text) => (text.trim() ? `${text.trim()}\n${ownFingerprint}` : ownFingerprint));
  };

  return (
    <section
      className="panel evidence-panel verify-panel"
      aria-labelledby="verify-title"
      data-drop-over={drop.over || undefined}
      {...drop.handlers}
    >
      <div className="evidence-panel-head">
        <h2 id="verify-title" className="panel-title" ref={headingRef} tabIndex={-1}>
          Verify an evidence file
        </h2>
      </div>
      <p className="panel-description">
        Checks a pack on its own bytes, with no vault: the signature, the embedded decision log and its hash
        chain, and the counts. Anyone can do the same offline with{' '}
        <code className="inline-code">steward verify FILE.pdf --trust FINGERPRINT</code>.
      </p>
      <div className="verify-inputs">
        <div className="drop-zone verify-drop" data-active={drop.over || undefined}>
          <span className="drop-zone-icon" aria-hidden="true">
            <FileSearch />
          </span>
          <p className="drop-zone-title">
            Drop an evidence PDF here, or{' '}
            <Button
              variant="primary"
              onClick={() => choose.mutate()}
              busy={choose.isPending}
              busyLabel="Choosing…"
            >
              Choose a PDF…
            </Button>
          </p>
          <p className="drop-zone-formats">A pack Steward signed, from this vault or any other</p>
        </div>
        <div className="field verify-trust">
          <label className="field-label" htmlFor={trustId}>
            Trusted fingerprints <span className="muted">(optional)</span>
          </label>
          <textarea
            id={trustId}
            className="text-area mono"
            rows={3}
            spellCheck={false}
            placeholder="3A:7F:0C:91:…  one per line"
            value={trustText}
            onChange={(event) => setTrustText(event.target.value)}
            aria-describedby={`${trustId}-help`}
          />
          <p id={`${trustId}-help`} className="field-description">
            The SHA-256 fingerprints of the certificates you accept. Without any, the signature is still
            checked but not who made it.
          </p>
          {ownFingerprint && !trustAtRequest.includes(ownFingerprint) && (
            <div>
              <Button variant="quiet" icon={ShieldCheck} onClick={addOwn}>
                Trust this vault’s certificate
              </Button>
            </div>
          )}
        </div>
      </div>
      {choose.isError && <ErrorNotice error={choose.error} />}
      {request && verify.isPending && (
        <p className="muted" role="status">
          Verifying {fileName(request.path)}…
        </p>
      )}
      {request && verify.isError && <ErrorNotice error={verify.error} />}
      {request && verify.isSuccess && (
        <VerdictCard path={request.path} result={verify.data} extraDropped={extraDropped} onAgain={again} />
      )}
    </section>
  );
}

function VerdictCard({
  path,
  result,
  extraDropped,
  onAgain,
}: {
  path: string;
  result: Verification;
  extraDropped: number;
  onAgain: () => void;
}) {
  const failed = result.checks.find((check) => check.id === result.failedCheck);
  return (
    <div className="verdict" data-ok={result.ok} aria-labelledby="verdict-title">
      <div className="verdict-head">
        <span className="verdict-icon" aria-hidden="true">
          {result.ok ? <ShieldCheck /> : <ShieldX />}
        </span>
        <div className="verdict-text">
          <h3 id="verdict-title" className="verdict-title">
            {result.ok ? 'Valid evidence pack' : `Not valid: ${failed ? failed.name : 'a check'} failed`}
          </h3>
          <p className="verdict-sentence">{result.verdict}</p>
          <p className="verdict-file">
            <span className="fact-value">{fileName(path)}</span>
            <span className="fact-path muted">{folderOf(path)}</span>
          </p>
        </div>
        <Button variant="quiet" onClick={onAgain}>
          Verify again
        </Button>
      </div>
      {extraDropped > 0 && (
        <p className="muted">
          Several files were dropped; the first was verified. Drop the others one at a time.
        </p>
      )}
      <ul className="check-list" aria-label="Checks">
        {result.checks.map((check) => (
          <CheckRow key={check.id} check={check} />
        ))}
      </ul>
      <dl className="facts verdict-facts">
        {result.signer && (
          <>
            <div className="fact">
              <dt>Signed by</dt>
              <dd>
                <span className="fact-value">
                  {result.signer.name}{' '}
                  {result.signer.trusted === true && <Badge tone="success">Trusted</Badge>}
                  {result.signer.trusted === false && <Badge tone="danger">Not trusted</Badge>}
                  {result.signer.trusted === null && <Badge>Trust not checked</Badge>}
                </span>
                {result.signer.email && <span className="fact-note">{result.signer.email}</span>}
              </dd>
            </div>
            <div className="fact">
              <dt>Fingerprint</dt>
              <dd>
                <CopyableHash value={result.signer.fingerprint} label="signer fingerprint" />
              </dd>
            </div>
            {result.signer.signingTime && (
              <div className="fact">
                <dt>Signed at</dt>
                <dd>
                  {formatDayTime(result.signer.signingTime)}
                  <span className="fact-note">By the signer’s own clock, not a trusted timestamp.</span>
                </dd>
              </div>
            )}
          </>
        )}
        {result.campaign && (
          <div className="fact">
            <dt>Campaign</dt>
            <dd>
              <span className="fact-value">{result.campaign.name}</span>
              <span className="fact-note">
                Campaign {result.campaign.id}, {result.campaign.state}
              </span>
            </dd>
          </div>
        )}
        {result.logHead && (
          <div className="fact">
            <dt>Decision log head</dt>
            <dd className="pack-log-head">
              <span className="fact-value">Record {formatCount(result.logHead.seq)}</span>
              <CopyableHash value={result.logHead.hash} label="decision log head hash" />
            </dd>
          </div>
        )}
        {result.counts && (
          <div className="fact">
            <dt>Counts</dt>
            <dd>
              {formatCount(result.counts.inScope)} in scope: {formatCount(result.counts.decided)} decided (
              {formatCount(result.counts.certify)} certified, {formatCount(result.counts.revoke)} revoked,{' '}
              {formatCount(result.counts.reassign)} reassigned), {formatCount(result.counts.exceptions)}{' '}
              exceptions, {formatCount(result.counts.pending)} pending
            </dd>
          </div>
        )}
      </dl>
    </div>
  );
}

const STATUS_WORDS: Record<Check['status'], string> = {
  passed: 'Passed',
  failed: 'Failed',
  'not-checked': 'Not checked',
};

function CheckRow({ check }: { check: Check }) {
  const Icon = check.status === 'passed' ? CircleCheck : check.status === 'failed' ? CircleX : CircleMinus;
  return (
    <li className="check" data-status={check.status}>
      <Icon className="check-icon" aria-hidden="true" />
      <div className="check-text">
        <p className="check-name">
          {check.name} <span className="check-status">{STATUS_WORDS[check.status]}</span>
        </p>
        <p className="check-message">{check.message}</p>
      </div>
    </li>
  );
}
