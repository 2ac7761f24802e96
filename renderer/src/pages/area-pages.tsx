import { ClipboardCheck, FileCheck2 } from 'lucide-react';
import { EmptyState } from '../components/empty-state';
import { PageHeader } from './page-header';

// The work areas before their features exist: each says plainly what it will hold, never shows fake data.

export function CampaignsPage() {
  return (
    <>
      <PageHeader title="Campaigns" />
      <EmptyState icon={ClipboardCheck} title="No campaigns yet">
        Launch a certification campaign here by choosing its scope, due date and reviewers, then follow along
        as they certify, revoke or reassign each identity.
      </EmptyState>
    </>
  );
}

export function EvidencePage() {
  return (
    <>
      <PageHeader title="Evidence" />
      <EmptyState icon={FileCheck2} title="No evidence packs yet">
        When a campaign closes, its signed PDF evidence pack, with every decision, the tamper-evident decision
        log and the hash of each import, will be exported here for your auditor to verify offline.
      </EmptyState>
    </>
  );
}
