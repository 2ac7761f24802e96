import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Plus, X } from 'lucide-react';
import { Dialog } from 'radix-ui';
import { useEffect, useState, type FormEvent } from 'react';
import { call } from '../bridge-client';
import { Button } from '../components/button';
import { ErrorNotice } from '../components/error-notice';
import { SelectField } from '../components/select-field';
import { TextField } from '../components/text-field';
import { connectorKeys, type ConnectorTypeView } from './connector-queries';

type Values = Record<string, string>;

/**
 * Adds a connector profile: its type, a name (it becomes the source of the snapshots), the type's
 * settings, and its secrets in password fields. Required fields are checked here, field by field; the
 * connector's own rules are checked by the core, whose message is shown as it is. Secrets go to the
 * core once and are never shown again, only masked.
 */
export function AddConnectorDialog({
  types,
  open,
  onOpenChange,
  onAdded,
}: {
  types: ConnectorTypeView[];
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onAdded: (name: string) => void;
}) {
  const available = types.filter((t) => t.available);
  const [type, setType] = useState(available[0]?.type ?? 'github');
  const [name, setName] = useState('');
  const [options, setOptions] = useState<Values>({});
  const [secrets, setSecrets] = useState<Values>({});
  const [checked, setChecked] = useState(false);
  const queryClient = useQueryClient();
  const info = types.find((t) => t.type === type);
  const secretFields = (info?.secrets ?? []).filter((f) => !f.readFromOption);

  const add = useMutation({
    mutationFn: () => call('connectors.add', { name: name.trim(), type, options, secrets }),
    onSuccess: (profile) => {
      setSecrets({});
      onOpenChange(false);
      onAdded(profile.name);
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: connectorKeys.all }),
  });

  const missing = (field: { key: string; required: boolean }, values: Values) =>
    checked && field.required && !(values[field.key] ?? '').trim();
  const nameMissing = checked && !name.trim();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setChecked(true);
    const incomplete =
      !name.trim() ||
      (info?.options ?? []).some((f) => f.required && !(options[f.key] ?? '').trim()) ||
      secretFields.some((f) => f.required && !(secrets[f.key] ?? '').trim());
    if (!incomplete) add.mutate();
  };

  useInertApp(open);

  const reset = (next: boolean) => {
    if (!next) {
      setSecrets({});
      setChecked(false);
      add.reset();
    }
    onOpenChange(next);
  };

  return (
    // Not Radix's modal mode: its scroll lock injects a <style> element, which the app's CSP refuses.
    // The app behind is made inert instead, which keeps focus and clicks inside the dialog just as well.
    <Dialog.Root open={open} onOpenChange={reset} modal={false}>
      <Dialog.Portal>
        {open && <div className="connector-modal-overlay" aria-hidden="true" />}
        <Dialog.Content
          className="connector-modal"
          aria-modal="true"
          onInteractOutside={(event) => event.preventDefault()}
        >
          <form onSubmit={submit} noValidate className="connector-modal-form">
            <header className="connector-modal-header">
              <Dialog.Title className="connector-modal-title">Add a connector</Dialog.Title>
              <Dialog.Description className="connector-modal-description">
                Steward reads the source with read-only calls. Credentials are kept only inside the encrypted
                vault and are shown masked from now on.
              </Dialog.Description>
              <Dialog.Close className="connector-modal-close" aria-label="Close">
                <X aria-hidden="true" />
              </Dialog.Close>
            </header>
            <div className="connector-modal-body">
              <div className="connector-form-row">
                <SelectField
                  label="Type"
                  value={type}
                  options={available.map((t) => ({ value: t.type, label: t.label }))}
                  onChange={(value) => {
                    setType(value as typeof type);
                    setOptions({});
                    setSecrets({});
                    setChecked(false);
                    add.reset();
                  }}
                />
                <TextField
                  label="Name"
                  value={name}
                  onChange={setName}
                  placeholder="e.g. nwl-github"
                  required
                  aria-invalid={nameMissing || undefined}
                  description={
                    nameMissing ? (
                      <span className="connector-field-error">Give the connector a name.</span>
                    ) : (
                      'Its snapshots and identities are listed under this name.'
                    )
                  }
                />
              </div>
              <fieldset className="connector-fieldset">
                <legend>Settings</legend>
                {(info?.options ?? []).map((field) => (
                  <TextField
                    key={`${type}-${field.key}`}
                    label={field.required ? field.label : `${field.label} (optional)`}
                    value={options[field.key] ?? ''}
                    onChange={(value) => setOptions((current) => ({ ...current, [field.key]: value }))}
                    placeholder={field.placeholder ? `e.g. ${field.placeholder}` : undefined}
                    required={field.required}
                    spellCheck={false}
                    aria-invalid={missing(field, options) || undefined}
                    description={
                      missing(field, options) ? (
                        <span className="connector-field-error">{field.label} is required.</span>
                      ) : (
                        field.hint
                      )
                    }
                  />
                ))}
              </fieldset>
              {secretFields.length > 0 && (
                <fieldset className="connector-fieldset">
                  <legend>Credentials</legend>
                  {secretFields.map((field) => (
                    <TextField
                      key={`${type}-${field.key}`}
                      label={field.required ? field.label : `${field.label} (optional)`}
                      type="password"
                      autoComplete="off"
                      value={secrets[field.key] ?? ''}
                      onChange={(value) => setSecrets((current) => ({ ...current, [field.key]: value }))}
                      placeholder={field.placeholder ? `e.g. ${field.placeholder}` : undefined}
                      required={field.required}
                      spellCheck={false}
                      aria-invalid={missing(field, secrets) || undefined}
                      description={
                        missing(field, secrets) ? (
                          <span className="connector-field-error">{field.label} is required.</span>
                        ) : (
                          field.hint
                        )
                      }
                    />
                  ))}
                </fieldset>
              )}
              {add.isError && <ErrorNotice error={add.error} />}
            </div>
            <footer className="connector-modal-footer">
              <Button variant="quiet" onClick={() => reset(false)}>
                Cancel
              </Button>
              <Button variant="primary" type="submit" icon={Plus} busy={add.isPending} busyLabel="Adding…">
                Add connector
              </Button>
            </footer>
          </form>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}

/** While `active`, the app under the dialog (everything in #root) takes no focus, clicks or reading. */
export function useInertApp(active: boolean): void {
  useEffect(() => {
    const app = document.getElementById('root');
    if (!active || !app) return undefined;
    app.inert = true;
    return () => {
      app.inert = false;
    };
  }, [active]);
}
