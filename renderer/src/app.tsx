import { LoaderCircle } from 'lucide-react';
import { useCoreEvents, useVaultStatus } from './bridge-client';
import { Brand } from './components/brand';
import { ErrorNotice } from './components/error-notice';
import { AppFrame } from './frame/app-frame';
import { FirstRunScreen } from './screens/first-run-screen';
import { UnlockScreen } from './screens/unlock-screen';

/** Chooses the screen from the vault's state; the core decides the state, the renderer only follows it. */
export function App() {
  useCoreEvents();
  const status = useVaultStatus();

  if (status.isPending) {
    return (
      <div className="startup" aria-busy="true">
        <Brand />
        <LoaderCircle className="spin startup-spinner" aria-label="Opening Steward" />
      </div>
    );
  }
  if (status.isError) {
    return (
      <div className="startup">
        <Brand />
        <ErrorNotice error={status.error} />
      </div>
    );
  }

  const vault = status.data;
  // Keyed by folder and state, so switching vaults starts each screen with empty fields.
  const key = `${vault.state}:${vault.folder}`;
  switch (vault.state) {
    case 'absent':
      return <FirstRunScreen key={key} status={vault} />;
    case 'locked':
      return <UnlockScreen key={key} status={vault} />;
    case 'unlocked':
      return <AppFrame key={vault.folder} status={vault} />;
  }
}
