import { useMutation } from '@tanstack/react-query';
import { useCallback, useState } from 'react';

interface SecretMutationOptions<TResult> {
  /** Runs even if the calling screen unmounts as a result, such as storing the new vault status. */
  onSuccess?: (result: TResult) => void;
}

interface RunCallbacks<TResult> {
  onSuccess?: (result: TResult) => void;
  onError?: (error: unknown) => void;
}

/**
 * A mutation whose input is a passphrase. TanStack Query keeps a mutation's variables in its cache while
 * the mutation is observed; this hook keeps only the outcome and drops the mutation, variables and all,
 * as soon as it settles, so a passphrase does not linger in memory behind an error or success message.
 */
export function useSecretMutation<TInput, TResult>(
  mutationFn: (input: TInput) => Promise<TResult>,
  options: SecretMutationOptions<TResult> = {},
) {
  const mutation = useMutation({ mutationFn, onSuccess: options.onSuccess, gcTime: 0 });
  const [error, setError] = useState<unknown>(null);
  const [succeeded, setSucceeded] = useState(false);
  const { mutate, reset } = mutation;

  const run = useCallback(
    (input: TInput, callbacks: RunCallbacks<TResult> = {}) => {
      setError(null);
      setSucceeded(false);
      mutate(input, {
        onSuccess: (result) => {
          setSucceeded(true);
          reset();
          callbacks.onSuccess?.(result);
        },
        onError: (failure) => {
          setError(failure);
          reset();
          callbacks.onError?.(failure);
        },
      });
    },
    [mutate, reset],
  );

  /** Forgets the last outcome, when the user starts a new attempt. */
  const clear = useCallback(() => {
    setError(null);
    setSucceeded(false);
  }, []);

  return { run, clear, isPending: mutation.isPending, error, succeeded };
}
