import { useMutation, useQueryClient } from '@tanstack/react-query';
import { FolderOpen, Lock } from 'lucide-react';
import { Tooltip, VisuallyHidden } from 'radix-ui';
import { useEffect, useRef, useState } from 'react';
import type { VaultStatus } from '../../../shared/api/schemas/vault';
import { call, storeVaultStatus } from '../bridge-client';
import { Brand } from '../components/brand';
import { Button } from '../components/button';
import { ErrorNotice } from '../components/error-notice';
import { folderName } from '../folder-name';
import { ImportSessionProvider } from '../imports/import-session';
import { ImportsPage } from '../imports/imports-page';
import { InventoryPage } from '../inventory/inventory-page';
import { CampaignsPage } from '../campaigns/campaigns-page';
import { ConnectorsPage } from '../connectors/connectors-page';
import { EvidencePage } from '../evidence/evidence-page';
import { SettingsPage } from '../pages/settings-page';
import { BackgroundWork } from './background-work';
import { ALL_PAGES, SETTINGS_PAGE, WORK_PAGES, type PageEntry, type PageId } from './navigation';
import './app-frame.css';

/** The unlocked app: navigation on the left, the vault and its Lock button on top, one page in the middle. */
export function AppFrame({ status }: { status: VaultStatus }) {
  const queryClient = useQueryClient();
  const [page, setPage] = useState<PageId>('inventory');
  const mainRef = useRef<HTMLElement>(null);
  const lock = useMutation({
    mutationFn: () => call('vault.lock', {}),
    onSuccess: (locked) => storeVaultStatus(queryClient, locked),
  });

  const current = ALL_PAGES.find((entry) => entry.id === page) ?? SETTINGS_PAGE;
  useEffect(() => {
    document.title = `${current.label} · Steward`;
    return () => {
      document.title = 'Steward';
    };
  }, [current.label]);

  return (
    <div className="frame">
      <a
        className="skip-link"
        href="#main"
        onClick={(event) => {
          event.preventDefault();
          mainRef.current?.focus();
        }}
      >
        Skip to content
      </a>
      <aside className="sidebar">
        <div className="sidebar-brand">
          <Brand />
        </div>
        <nav className="sidebar-nav" aria-label="Steward">
          <ul className="nav-list">
            {WORK_PAGES.map((entry) => (
              <NavItem key={entry.id} entry={entry} current={page === entry.id} onSelect={setPage} />
            ))}
          </ul>
          <ul className="nav-list nav-list-end">
            <NavItem entry={SETTINGS_PAGE} current={page === SETTINGS_PAGE.id} onSelect={setPage} />
          </ul>
        </nav>
      </aside>
      <div className="workspace">
        <header className="topbar">
          <Tooltip.Root>
            <Tooltip.Trigger asChild>
              <button type="button" className="vault-chip" onClick={() => setPage('settings')}>
                <FolderOpen className="vault-chip-icon" aria-hidden="true" />
                <VisuallyHidden.Root>Vault </VisuallyHidden.Root>
                <span className="vault-chip-name">{folderName(status.folder)}</span>
                <span className="vault-chip-state">Unlocked</span>
              </button>
            </Tooltip.Trigger>
            <Tooltip.Portal>
              <Tooltip.Content className="tooltip" side="bottom" align="start" sideOffset={6}>
                {status.folder}
              </Tooltip.Content>
            </Tooltip.Portal>
          </Tooltip.Root>
          <div className="topbar-actions">
            <BackgroundWork />
            <Button icon={Lock} onClick={() => lock.mutate()} busy={lock.isPending} busyLabel="Locking…">
              Lock
            </Button>
          </div>
        </header>
        {lock.isError && (
          <div className="frame-alert">
            <ErrorNotice error={lock.error} />
          </div>
        )}
        <main id="main" ref={mainRef} tabIndex={-1} className="page" data-page={page}>
          <ImportSessionProvider>
            <PageContent page={page} status={status} onNavigate={setPage} />
          </ImportSessionProvider>
        </main>
      </div>
    </div>
  );
}

function NavItem({
  entry,
  current,
  onSelect,
}: {
  entry: PageEntry;
  current: boolean;
  onSelect: (id: PageId) => void;
}) {
  const Icon = entry.icon;
  return (
    <li>
      <button
        type="button"
        className="nav-item"
        aria-current={current ? 'page' : undefined}
        onClick={() => onSelect(entry.id)}
      >
        <Icon className="nav-item-icon" aria-hidden="true" />
        <span>{entry.label}</span>
      </button>
    </li>
  );
}

function PageContent({
  page,
  status,
  onNavigate,
}: {
  page: PageId;
  status: VaultStatus;
  onNavigate: (page: PageId) => void;
}) {
  switch (page) {
    case 'inventory':
      return <InventoryPage onNavigate={onNavigate} />;
    case 'imports':
      return <ImportsPage />;
    case 'connectors':
      return <ConnectorsPage />;
    case 'campaigns':
      return <CampaignsPage />;
    case 'evidence':
      return <EvidencePage />;
    case 'settings':
      return <SettingsPage status={status} />;
  }
}
