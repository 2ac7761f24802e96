import { useMutation, useQueryClient } from '@tanstack/react-query';
import { call, storeVaultStatus } from '../bridge-client';

/** Asks the desktop for another vault folder; a cancelled dialog leaves everything as it was. */
export function useChooseVaultFolder() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => call('vault.chooseFolder', { purpose: 'open' }),
    onSuccess: (result) => {
      if (!result.cancelled) storeVaultStatus(queryClient, result.status);
    },
  });
}
