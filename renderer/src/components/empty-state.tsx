import type { LucideIcon } from 'lucide-react';
import type { ReactNode } from 'react';

/** What an area will hold and what the user will do there, before there is anything to show. */
export function EmptyState({
  icon: Icon,
  title,
  children,
}: {
  icon: LucideIcon;
  title: string;
  children: ReactNode;
}) {
  return (
    <div className="empty-state">
      <div className="empty-state-icon" aria-hidden="true">
        <Icon />
      </div>
      <h2 className="empty-state-title">{title}</h2>
      <p className="empty-state-text">{children}</p>
    </div>
  );
}
