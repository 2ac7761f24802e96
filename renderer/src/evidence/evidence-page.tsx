import { useRef, useState } from 'react';
import { PageHeader } from '../pages/page-header';
import { CampaignPacks } from './campaign-packs';
import { SignerCard, useSigner } from './signer-card';
import { usePackExports } from './use-pack-exports';
import { VerifyPanel, type VerifyRequest } from './verify-panel';
import '../imports/imports.css';
import './evidence.css';

/**
 * Evidence for auditors: the certificate packs are signed with, a signed pack per campaign (with
 * progress and the file's hash), and verification of any pack, check by check.
 */
export function EvidencePage() {
  const signer = useSigner();
  const exports = usePackExports();
  const [verifyRequest, setVerifyRequest] = useState<VerifyRequest | null>(null);
  const signerHeading = useRef<HTMLHeadingElement>(null);
  const verifyHeading = useRef<HTMLHeadingElement>(null);

  const reveal = (heading: HTMLHeadingElement | null) => {
    heading?.scrollIntoView({ block: 'start', behavior: 'smooth' });
    heading?.focus({ preventScroll: true });
  };

  return (
    <>
      <PageHeader
        title="Evidence"
        description="Signed evidence packs your auditor can check offline: every decision, the tamper-evident decision log and the hash of each import, in one PDF."
      />
      <div className="evidence-layout">
        <SignerCard headingRef={signerHeading} />
        <CampaignPacks
          hasSigner={Boolean(signer.data)}
          exports={exports}
          onShowSigner={() => reveal(signerHeading.current)}
          onVerify={(path) => {
            setVerifyRequest({ path, at: Date.now() });
            reveal(verifyHeading.current);
          }}
        />
        <VerifyPanel
          request={verifyRequest}
          onRequest={(path) => setVerifyRequest({ path, at: Date.now() })}
          ownFingerprint={signer.data?.fingerprint ?? null}
          headingRef={verifyHeading}
        />
      </div>
    </>
  );
}
