import { FileUp } from 'lucide-react';
import { Button } from '../components/button';
import { acceptedOrigins, useImportFormats } from './format-labels';

/** Where an export starts: drop its files here, or choose them with the desktop's own dialog. */
export function DropZone({
  active,
  choosing,
  onChoose,
}: {
  active: boolean;
  choosing: boolean;
  onChoose: () => void;
}) {
  const formats = useImportFormats();
  const origins = formats.data ? acceptedOrigins(formats.data) : [];
  return (
    <div className="drop-zone" data-active={active || undefined}>
      <span className="drop-zone-icon" aria-hidden="true">
        <FileUp />
      </span>
      <p className="drop-zone-title">
        Drop export files here, or{' '}
        <Button variant="primary" onClick={onChoose} busy={choosing} busyLabel="Choosing…">
          Choose files…
        </Button>
      </p>
      <p className="drop-zone-formats">
        {origins.length > 0
          ? `CSV, Excel or JSON from ${origins.join(', ')} or any inventory spreadsheet`
          : 'CSV, Excel or JSON exports from your cloud consoles, identity providers and inventories'}
      </p>
    </div>
  );
}
