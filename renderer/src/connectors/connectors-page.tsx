import { PlugZap } from 'lucide-react';
import { EmptyState } from '../components/empty-state';
import { PageHeader } from '../pages/page-header';

export function ConnectorsPage() {
  return (
    <>
      <PageHeader title="Connectors" />
      <EmptyState icon={PlugZap} title="No connectors yet">
        Pull AWS IAM, Microsoft Entra ID, GitHub and Kubernetes straight into the vault instead of exporting
        files by hand each quarter.
      </EmptyState>
    </>
  );
}
