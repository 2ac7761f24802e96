import { useQueryClient } from '@tanstack/react-query';
import { FolderSearch, LockKeyhole } from 'lucide-react';
import { useRef, useState, type FormEvent } from 'react';
import type { VaultStatus } from '../../../shared/api/schemas/vault';
import { call, isBridgeError, storeVaultStatus } from '../bridge-client';
import { Button } from '../components/button';
import { ErrorNotice } from '../components/error-notice';
import { PassphraseField } from '../components/passphrase-field';
import { folderName } from '../folder-name';
import { useFocusRequest } from '../components/use-focus-request';
import { useSecretMutation } from '../use-secret-mutation';
import { useChooseVaultFolder } from './use-choose-vault-folder';
import { VaultGateLayout } from './vault-gate-layout';

/** Errors that are about what was typed, so they belong next to the field rather than above the button. */
const FIELD_ERROR_CODES = new Set(['WRONG_PASSPHRASE', 'INVALID_INPUT']);

/** Shown when a vault exists but is locked. */
export function UnlockScreen({ status }: { status: VaultStatus }) {
  const queryClient = useQueryClient();
  const [passphrase, setPassphrase] = useState('');
  const [fieldError, setFieldError] = useState<string | null>(null);
  const passphraseRef = useRef<HTMLInputElement>(null);
  const requestFocus = useFocusRequest();

  const unlock = useSecretMutation((typed: string) => call('vault.unlock', { passphrase: typed }), {
    onSuccess: (unlocked) => storeVaultStatus(queryClient, unlocked),
  });
  const chooseFolder = useChooseVaultFolder();
  const isFieldError = (error: unknown) => isBridgeError(error) && FIELD_ERROR_CODES.has(error.code);
  const formError = unlock.error && !isFieldError(unlock.error) ? unlock.error : null;

  function submit(event: FormEvent) {
    event.preventDefault();
    if (unlock.isPending) return;
    if (passphrase.length === 0) {
      setFieldError('Enter your passphrase to unlock the vault.');
      requestFocus(passphraseRef);
      return;
    }
    unlock.run(passphrase, {
      onError: (error) => {
        if (isFieldError(error)) setFieldError((error as Error).message);
        // The button was disabled while busy and dropped focus; give it back where the next attempt starts.
        requestFocus(passphraseRef, { select: true });
      },
    });
  }

  return (
    <VaultGateLayout
      icon={LockKeyhole}
      title={`Unlock ${folderName(status.folder)}`}
      intro={
        <p>Enter the passphrase of this vault. Steward forgets the key again when you lock it or quit.</p>
      }
      folder={status.folder}
      folderLabel="Vault folder"
      footer={
        <>
          <Button
            variant="quiet"
            icon={FolderSearch}
            busy={chooseFolder.isPending}
            busyLabel="Waiting for the folder dialog…"
            onClick={() => chooseFolder.mutate()}
          >
            Use another vault…
          </Button>
          {chooseFolder.isError && <ErrorNotice error={chooseFolder.error} />}
        </>
      }
    >
      <form className="gate-form" onSubmit={submit} noValidate>
        <PassphraseField
          ref={passphraseRef}
          label="Passphrase"
          value={passphrase}
          onChange={(value) => {
            setPassphrase(value);
            setFieldError(null);
            unlock.clear();
          }}
          autoComplete="current-password"
          autoFocus
          error={fieldError}
        />
        {formError && <ErrorNotice error={formError} />}
        <Button
          type="submit"
          variant="primary"
          className="gate-submit"
          busy={unlock.isPending}
          busyLabel="Unlocking…"
        >
          Unlock
        </Button>
      </form>
    </VaultGateLayout>
  );
}
