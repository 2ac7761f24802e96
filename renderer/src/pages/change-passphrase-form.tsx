import { useQueryClient } from '@tanstack/react-query';
import { CircleCheck } from 'lucide-react';
import { useId, useMemo, useRef, useState, type FormEvent } from 'react';
import { MIN_PASSPHRASE_LENGTH } from '../../../shared/api/schemas/vault';
import { call, isBridgeError, storeVaultStatus } from '../bridge-client';
import { Button } from '../components/button';
import { ErrorNotice } from '../components/error-notice';
import { PassphraseField } from '../components/passphrase-field';
import { StrengthMeter } from '../components/strength-meter';
import { useFocusRequest } from '../components/use-focus-request';
import { useSecretMutation } from '../use-secret-mutation';
import { folderName } from '../folder-name';
import { MISMATCH_MESSAGE, newPassphraseProblem, repeatCannotMatch } from '../passphrase/passphrase-rules';
import { estimateStrength, usePassphraseStrength } from '../passphrase/passphrase-strength';

interface ChangeInput {
  currentPassphrase: string;
  newPassphrase: string;
}

export function ChangePassphraseForm({ folder }: { folder: string }) {
  const queryClient = useQueryClient();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [currentError, setCurrentError] = useState<string | null>(null);
  const [nextError, setNextError] = useState<string | null>(null);
  const [repeatError, setRepeatError] = useState<string | null>(null);
  const currentRef = useRef<HTMLInputElement>(null);
  const nextRef = useRef<HTMLInputElement>(null);
  const repeatRef = useRef<HTMLInputElement>(null);
  const hintId = useId();
  const requestFocus = useFocusRequest();

  const personalWords = useMemo(() => [folderName(folder)], [folder]);
  const strength = usePassphraseStrength(next, personalWords);
  const change = useSecretMutation((input: ChangeInput) => call('vault.changePassphrase', input), {
    onSuccess: (status) => storeVaultStatus(queryClient, status),
  });
  const isCurrentRefused = (error: unknown) => isBridgeError(error) && error.code === 'WRONG_PASSPHRASE';
  const formError = change.error && !isCurrentRefused(change.error) ? change.error : null;

  /** Any edit starts a new attempt: the last outcome no longer describes what is on screen. */
  function edited() {
    if (!change.isPending) change.clear();
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (change.isPending) return;
    if (current.length === 0) {
      setCurrentError('Enter your current passphrase.');
      requestFocus(currentRef);
      return;
    }
    let problem = newPassphraseProblem(next, await estimateStrength(next, personalWords));
    if (!problem && next === current) problem = 'Choose a passphrase different from the current one.';
    setNextError(problem);
    if (problem) {
      requestFocus(nextRef);
      return;
    }
    if (repeat !== next) {
      setRepeatError(repeat.length === 0 ? 'Type the new passphrase again to confirm it.' : MISMATCH_MESSAGE);
      requestFocus(repeatRef);
      return;
    }
    change.run(
      { currentPassphrase: current, newPassphrase: next },
      {
        onSuccess: () => {
          setCurrent('');
          setNext('');
          setRepeat('');
        },
        onError: (error) => {
          if (!isCurrentRefused(error)) return;
          setCurrentError((error as Error).message);
          requestFocus(currentRef, { select: true });
        },
      },
    );
  }

  return (
    <form className="settings-form" onSubmit={(event) => void submit(event)} noValidate>
      <PassphraseField
        ref={currentRef}
        label="Current passphrase"
        value={current}
        onChange={(value) => {
          setCurrent(value);
          setCurrentError(null);
          edited();
        }}
        autoComplete="current-password"
        error={currentError}
      />
      <PassphraseField
        ref={nextRef}
        label="New passphrase"
        value={next}
        onChange={(value) => {
          setNext(value);
          setNextError(null);
          edited();
        }}
        autoComplete="new-password"
        error={nextError}
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
        label="Repeat new passphrase"
        value={repeat}
        onChange={(value) => {
          setRepeat(value);
          setRepeatError(null);
          edited();
        }}
        autoComplete="new-password"
        error={repeatCannotMatch(next, repeat) ? MISMATCH_MESSAGE : repeatError}
      />
      {formError && <ErrorNotice error={formError} />}
      <div role="status" className="form-status">
        {change.succeeded && (
          <p className="notice notice-success">
            <CircleCheck className="notice-icon" aria-hidden="true" />
            <span>Passphrase changed. Use the new passphrase the next time you unlock this vault.</span>
          </p>
        )}
      </div>
      <div className="form-actions">
        <Button type="submit" variant="primary" busy={change.isPending} busyLabel="Changing passphrase…">
          Change passphrase
        </Button>
      </div>
    </form>
  );
}
