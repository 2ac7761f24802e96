import { PlugZap, Plus } from 'lucide-react';
import { useState } from 'react';
import { Button } from '../components/button';
import { EmptyState } from '../components/empty-state';
import { ErrorNotice } from '../components/error-notice';
import { PageHeader } from '../pages/page-header';
import { AddConnectorDialog } from './add-connector-dialog';
import { ConnectorCard } from './connector-card';
import { useConnectorProfiles, useConnectorTypes } from './connector-queries';
import './connectors.css';

/**
 * Connection profiles that pull a source's own API into the vault: each pull is a snapshot exactly
 * like an import, with the same evidence. Add a profile, test it, pull now, see past pulls.
 */
export function ConnectorsPage() {
  const profiles = useConnectorProfiles();
  const types = useConnectorTypes();
  const [adding, setAdding] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const canAdd = (types.data ?? []).some((t) => t.available);
  const addButton = (
    <Button variant="primary" icon={Plus} onClick={() => setAdding(true)} disabled={!canAdd}>
      Add connector
    </Button>
  );

  return (
    <>
      <PageHeader
        title="Connectors"
        description="Pull AWS IAM, Microsoft Entra ID, GitHub and Kubernetes straight into the vault. Each pull is kept as a snapshot with the hash of every response, like an import."
      />
      {profiles.isError && <ErrorNotice error={profiles.error} />}
      {notice && (
        <p className="connector-notice" role="status">
          {notice}
        </p>
      )}
      {types.isError && <ErrorNotice error={types.error} />}
      {profiles.data && profiles.data.length === 0 && (
        <>
          <EmptyState icon={PlugZap} title="No connectors yet">
            Instead of exporting files by hand each quarter, add a connector with read-only credentials and
            pull the population whenever you need it.
          </EmptyState>
          <div className="connector-empty-action">{addButton}</div>
        </>
      )}
      {profiles.data && profiles.data.length > 0 && (
        <div className="connectors-layout">
          <div className="connectors-toolbar">{addButton}</div>
          {profiles.data.map((profile) => (
            <ConnectorCard key={profile.name} profile={profile} onRemoved={setNotice} />
          ))}
        </div>
      )}
      {types.data && (
        <AddConnectorDialog
          types={types.data}
          open={adding}
          onOpenChange={setAdding}
          onAdded={() => setNotice(null)}
        />
      )}
    </>
  );
}
