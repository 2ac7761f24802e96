import { ClipboardCheck } from 'lucide-react';
import { EmptyState } from '../components/empty-state';
import { PageHeader } from '../pages/page-header';

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
