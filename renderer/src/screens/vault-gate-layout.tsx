import { FolderOpen, type LucideIcon } from 'lucide-react';
import type { ReactNode } from 'react';
import { Brand } from '../components/brand';
import './vault-gate.css';

interface VaultGateLayoutProps {
  icon: LucideIcon;
  title: string;
  intro: ReactNode;
  folder: string;
  folderLabel: string;
  children: ReactNode;
  /** A quieter way out under the card, such as opening another vault. */
  footer: ReactNode;
}

/** The calm, single-purpose frame of the screens shown before the vault is open. */
export function VaultGateLayout({
  icon: Icon,
  title,
  intro,
  folder,
  folderLabel,
  children,
  footer,
}: VaultGateLayoutProps) {
  return (
    <div className="gate">
      <main className="gate-main">
        <div className="gate-brand">
          <Brand />
        </div>
        <section className="gate-card" aria-labelledby="gate-title">
          <div className="gate-icon" aria-hidden="true">
            <Icon />
          </div>
          <h1 id="gate-title" className="gate-title">
            {title}
          </h1>
          <div className="gate-intro">{intro}</div>
          <div className="gate-folder">
            <FolderOpen className="gate-folder-icon" aria-hidden="true" />
            <div>
              <p className="gate-folder-label">{folderLabel}</p>
              <p className="gate-folder-path">{folder}</p>
            </div>
          </div>
          {children}
        </section>
        <div className="gate-footer">{footer}</div>
      </main>
    </div>
  );
}
