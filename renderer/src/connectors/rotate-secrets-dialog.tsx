import { useMutation, useQueryClient } from '@tanstack/react-query';
import { KeyRound, X } from 'lucide-react';
import { Dialog } from 'radix-ui';
import { useState, type FormEvent } from 'react';
import { call } from '../bridge-client';
import { Button } from '../components/button';
import { ErrorNotice } from '../components/error-notice';
import { TextField } from '../components/text-field';
import { useInertApp } from './add-connector-dialog';
import { connectorKeys, type ConnectorProfileView, type ConnectorTypeView } from './connector-queries';

/**
 * Replaces a profile's credentials (a rotated token or key) in password fields; the settings and the
 * history stay. For kubernetes the kubeconfig is read again from the file the profile names.
 */
export function RotateSecretsDialog({
  profile,
  type,
  open,
  onOpenChange,
  onRotated,
}: {
  profile: ConnectorProfileView;
  type: ConnectorTypeView | undefined;
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onRotated: () => void;
}) {
  const [secrets, setSecrets] = useState<Record<string, string>>({});
  const queryClient = useQueryClient();
  useInertApp(open);
  const fields = (type?.secrets ?? []).filter((f) => !f.readFromOption);
  const rereads = (type?.secrets ?? []).some((f) => f.readFromOption);
  const rotate = useMutation({
    mutationFn: () => call('connectors.updateSecrets', { name: profile.name, secrets }),
    onSuccess: () => {
      setSecrets({});
      onOpenChange(false);
      onRotated();
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: connectorKeys.all }),
  });
  const close = (next: boolean) => {
    if (!next) {
      setSecrets({});
      rotate.reset();
    }
    onOpenChange(next);
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    rotate.mutate();
  };
  return (
    // Non-modal Radix with the app made inert, as in AddConnectorDialog (the CSP refuses its scroll lock).
    <Dialog.Root open={open} onOpenChange={close} modal={false}>
      <Dialog.Portal>
        {open && <div className="connector-modal-overlay" aria-hidden="true" />}
        <Dialog.Content
          className="connector-modal connector-modal-narrow"
          aria-modal="true"
          onInteractOutside={(event) => event.preventDefault()}
        >
          <form className="connector-modal-form" onSubmit={submit} noValidate>
            <header className="connector-modal-header">
              <Dialog.Title className="connector-modal-title">
                Replace credentials of {profile.name}
              </Dialog.Title>
              <Dialog.Description className="connector-modal-description">
                {rereads
                  ? `The kubeconfig is read again from ${profile.options.kubeconfigFile ?? 'its file'}.`
                  : 'The new credentials replace the stored ones; settings and history stay.'}
              </Dialog.Description>
              <Dialog.Close className="connector-modal-close" aria-label="Close">
                <X aria-hidden="true" />
              </Dialog.Close>
            </header>
            <div className="connector-modal-body">
              {fields.map((field) => (
                <TextField
                  key={field.key}
                  label={field.required ? field.label : `${field.label} (optional)`}
                  type="password"
                  autoComplete="off"
                  spellCheck={false}
                  value={secrets[field.key] ?? ''}
                  onChange={(value) => setSecrets((current) => ({ ...current, [field.key]: value }))}
                  description={field.hint}
                />
              ))}
              {rotate.isError && <ErrorNotice error={rotate.error} />}
            </div>
            <footer className="connector-modal-footer">
              <Button variant="quiet" onClick={() => close(false)}>
                Cancel
              </Button>
              <Button
                variant="primary"
                type="submit"
                icon={KeyRound}
                busy={rotate.isPending}
                busyLabel="Saving…"
              >
                Replace credentials
              </Button>
            </footer>
          </form>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
