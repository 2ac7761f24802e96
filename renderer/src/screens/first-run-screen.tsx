import { useQueryClient } from '@tanstack/react-query';
import { FolderSearch, KeyRound } from 'lucide-react';
import { useId, useMemo, useRef, useState, type FormEvent } from 'react';
import type { VaultStatus } from '../../../shared/api/schemas/vault';
import { call, storeVaultStatus } from '../bridge-client';
import { Button } from '../components/button';
import { ErrorNotice } from '../components/error-notice';
import { PassphraseField } from '../components/passphrase-field';
import { StrengthMeter } from '../components/strength-meter';
import { folderName } from '../folder-name';
import { MISMATCH_MESSAGE, newPassphraseProblem, repeatCannotMatch } from '../passphrase/passphrase-rules';
import { estimateStrength, usePassphraseStrength } from '../passphrase/passphrase-strength';
import { MIN_PASSPHRASE_LENGTH } from '../../../shared/api/schemas/vault';
import { useFocusRequest } from '../components/use-focus-request';
import { useSecretMutation } from '../use-secret-mutation';
import { useChooseVaultFolder } from './use-choose-vault-folder';
import { VaultGateLayout } from './vault-gate-layout';

/** Shown when the vault folder holds no vault yet: create one, or point Steward at an existing one. */
export function FirstRunScreen({ status }: { status: VaultStatus }) {
  const queryClient = useQueryClient();
  const [passphrase, setPassphrase] = useState('');
  const [repeat, setRepeat] = useState('');
  const [passphraseError, setPassphraseError] = useState<string | null>(null);
  const [repeatError, setRepeatError] = useState<string | null>(null);
  const passphraseRef = useRef<HTMLInputElement>(null);
  const repeatRef = useRef<HTMLInputElement>(null);
  const hintId = useId();
  const requestFocus = useFocusRequest();

  const personalWords = useMemo(() => [folderName(status.folder)], [status.folder]);
  const strength = usePassphraseStrength(passphrase, personalWords);
  const create = useSecretMutation(
    (newPassphrase: string) => call('vault.create', { passphrase: newPassphrase }),
    {
      onSuccess: (created) => storeVaultStatus(queryClient, created),
    },
  );
  const chooseFolder = useChooseVaultFolder();

  const shownRepeatError = repeatCannotMatch(passphrase, repeat) ? MISMATCH_MESSAGE : repeatError;

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (create.isPending) return;
    const problem = newPassphraseProblem(passphrase, await estimateStrength(passphrase, personalWords));
    setPassphraseError(problem);
    if (problem) {
      requestFocus(passphraseRef);
      return;
    }
    if (repeat !== passphrase) {
      setRepeatError(repeat.length === 0 ? 'Type the passphrase again to confirm it.' : MISMATCH_MESSAGE);
      requestFocus(repeatRef);
      return;
    }
    create.run(passphrase);
  }

  return (
    <VaultGateLayout
      icon={KeyRound}
      title="Create your vault"
      intro={
        <p>
          Steward keeps identities, decisions and evidence in a vault that is encrypted on this device. Only
          your passphrase opens it and it cannot be recovered, so keep it in your password manager.
        </p>
      }
      folder={status.folder}
      folderLabel="The vault will be created in"
      footer={
        <>
          <Button
            variant="quiet"
            icon={FolderSearch}
            busy={chooseFolder.isPending}
            busyLabel="Waiting for the folder dialog…"
            onClick={() => chooseFolder.mutate()}
          >
            Open another vault folder…
          </Button>
          {chooseFolder.isError && <ErrorNotice error={chooseFolder.error} />}
        </>
      }
    >
      <form className="gate-form" onSubmit={(event) => void submit(event)} noValidate>
        <PassphraseField
          ref={passphraseRef}
          label="Passphrase"
          value={passphrase}
          onChange={(value) => {
            setPassphrase(value);
            setPassphraseError(null);
          }}
          autoComplete="new-password"
          autoFocus
          error={passphraseError}
          describedBy={hintId}
        >
          <StrengthMeter
            strength={strength}
            hintId={hintId}
            emptyHint={`Use at least ${MIN_PASSPHRASE_LENGTH} characters. Four or five unrelated words are easy to remember and hard to guess.`}
          />
        </PassphraseField>
        <PassphraseField
          ref={repeatRef}
          label="Repeat passphrase"
          value={repeat}
          onChange={(value) => {
            setRepeat(value);
            setRepeatError(null);
          }}
          autoComplete="new-password"
          error={shownRepeatError}
        />
        {create.error !== null && <ErrorNotice error={create.error} />}
        <Button
          type="submit"
          variant="primary"
          className="gate-submit"
          busy={create.isPending}
          busyLabel="Creating vault…"
        >
          Create vault
        </Button>
      </form>
    </VaultGateLayout>
  );
}
