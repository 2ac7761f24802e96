import { Boxes, ClipboardCheck, FileCheck2, FileInput } from 'lucide-react';
import { EmptyState } from '../components/empty-state';
import { PageHeader } from './page-header';

// The work areas before their features exist: each says plainly what it will hold, never shows fake data.

export function InventoryPage() {
  return (
    <>
      <PageHeader title="Inventory" />
      <EmptyState icon={Boxes} title="No identities yet">
        Every service account, API key, IAM user and role, app registration, Kubernetes service account and
        deploy key you import will be listed here with its owner, credentials and risk signals, so you can see
        what exists before you review it.
      </EmptyState>
    </>
  );
}

export function ImportsPage() {
  return (
    <>
      <PageHeader title="Imports" />
      <EmptyState icon={FileInput} title="Nothing imported yet">
        Bring in exports from your cloud consoles, identity providers and HR roster here; each import is kept
        as a snapshot with its file hash and row counts, the completeness evidence your auditor will ask for.
      </EmptyState>
    </>
  );
}

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
