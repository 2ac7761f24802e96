import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Trash2, X } from 'lucide-react';
import { Dialog } from 'radix-ui';
import { call } from '../bridge-client';
import { Button } from '../components/button';
import { ErrorNotice } from '../components/error-notice';
import { useInertApp } from './add-connector-dialog';
import { connectorKeys } from './connector-queries';

/**
 * Confirms removing a profile: its stored credentials go, its snapshots, identities and pull history
 * stay (the core's answer says so, and is passed on).
 */
export function RemoveConnectorDialog({
  name,
  open,
  onOpenChange,
  onRemoved,
}: {
  name: string;
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onRemoved: (message: string) => void;
}) {
  const queryClient = useQueryClient();
  useInertApp(open);
  const remove = useMutation({
    mutationFn: () => call('connectors.remove', { name }),
    onSuccess: (removed) => {
      onOpenChange(false);
      onRemoved(removed.message);
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: connectorKeys.all }),
  });
  return (
    // Non-modal Radix with the app made inert, as in AddConnectorDialog (the CSP refuses its scroll lock).
    <Dialog.Root open={open} onOpenChange={onOpenChange} modal={false}>
      <Dialog.Portal>
        {open && <div className="connector-modal-overlay" aria-hidden="true" />}
        <Dialog.Content
          className="connector-modal connector-modal-narrow"
          aria-modal="true"
          onInteractOutside={(event) => event.preventDefault()}
        >
          <div className="connector-modal-form">
            <header className="connector-modal-header">
              <Dialog.Title className="connector-modal-title">Remove {name}?</Dialog.Title>
              <Dialog.Description className="connector-modal-description">
                Its stored credentials are deleted. The snapshots it pulled, the identities they brought and
                its pull history stay in the vault as evidence.
              </Dialog.Description>
              <Dialog.Close className="connector-modal-close" aria-label="Close">
                <X aria-hidden="true" />
              </Dialog.Close>
            </header>
            {remove.isError && (
              <div className="connector-modal-body">
                <ErrorNotice error={remove.error} />
              </div>
            )}
            <footer className="connector-modal-footer">
              <Button variant="quiet" onClick={() => onOpenChange(false)}>
                Keep it
              </Button>
              <Button
                variant="primary"
                icon={Trash2}
                busy={remove.isPending}
                busyLabel="Removing…"
                onClick={() => remove.mutate()}
              >
                Remove connector
              </Button>
            </footer>
          </div>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
