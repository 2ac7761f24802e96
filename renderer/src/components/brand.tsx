import { ShieldCheck } from 'lucide-react';

export function Brand() {
  return (
    <span className="brand">
      <span className="brand-mark" aria-hidden="true">
        <ShieldCheck />
      </span>
      <span className="brand-name">Steward</span>
    </span>
  );
}
