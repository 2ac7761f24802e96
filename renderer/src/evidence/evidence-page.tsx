import { FileCheck2 } from 'lucide-react';
import { EmptyState } from '../components/empty-state';
import { PageHeader } from '../pages/page-header';

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
