import { useAppInfo } from '../bridge-client';
import { ErrorNotice } from '../components/error-notice';
import type { VaultStatus } from '../../../shared/api/schemas/vault';
import { RiskPolicySection } from '../settings/risk-policy-section';
import { ChangePassphraseForm } from './change-passphrase-form';
import { PageHeader } from './page-header';

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'long', timeStyle: 'short' });

function formatDate(iso: string | null): string {
  return iso ? dateFormat.format(new Date(iso)) : 'Unknown';
}

/** What the key-derivation names mean, for a reader who is not a cryptographer. */
const KDF_EXPLANATIONS: Record<string, string> = {
  scrypt: 'Your passphrase is stretched with a slow, memory-hard function before it unwraps the vault key.',
  argon2id: 'Your passphrase is stretched with a slow, memory-hard function before it unwraps the vault key.',
};

export function SettingsPage({ status }: { status: VaultStatus }) {
  return (
    <>
      <PageHeader
        title="Settings"
        description="This vault, its passphrase, the risk policy it applies, and the version of Steward you are running."
      />
      <div className="settings-sections">
        <section className="panel" aria-labelledby="settings-vault">
          <h2 id="settings-vault" className="panel-title">
            Vault
          </h2>
          <dl className="facts">
            <div className="fact">
              <dt>Folder</dt>
              <dd className="fact-path">{status.folder}</dd>
            </div>
            <div className="fact">
              <dt>Created</dt>
              <dd>{formatDate(status.createdAt)}</dd>
            </div>
            <div className="fact">
              <dt>Key protection</dt>
              <dd>
                <span className="fact-value">{status.kdf ?? 'Unknown'}</span>
                {status.kdf && KDF_EXPLANATIONS[status.kdf] && (
                  <span className="fact-note">{KDF_EXPLANATIONS[status.kdf]}</span>
                )}
              </dd>
            </div>
            {status.schemaVersion !== null && (
              <div className="fact">
                <dt>Database schema</dt>
                <dd>Version {status.schemaVersion}</dd>
              </div>
            )}
          </dl>
        </section>

        <section className="panel" aria-labelledby="settings-passphrase">
          <h2 id="settings-passphrase" className="panel-title">
            Change passphrase
          </h2>
          <p className="panel-description">
            Steward re-wraps the vault key under the new passphrase. Your data is not re-encrypted, and the
            old passphrase stops working at once.
          </p>
          <ChangePassphraseForm folder={status.folder} />
        </section>

        <RiskPolicySection />

        <AboutSection />
      </div>
    </>
  );
}

function AboutSection() {
  const info = useAppInfo();
  return (
    <section className="panel" aria-labelledby="settings-about">
      <h2 id="settings-about" className="panel-title">
        About
      </h2>
      {info.isError && <ErrorNotice error={info.error} />}
      {info.isPending && <p className="panel-description">Reading version information…</p>}
      {info.isSuccess && (
        <dl className="facts">
          <div className="fact">
            <dt>Application</dt>
            <dd>{info.data.name}</dd>
          </div>
          <div className="fact">
            <dt>Version</dt>
            <dd>{info.data.version}</dd>
          </div>
          <div className="fact">
            <dt>Runtime</dt>
            <dd>{info.data.runtime}</dd>
          </div>
        </dl>
      )}
    </section>
  );
}
