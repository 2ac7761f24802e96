import {
  Boxes,
  ClipboardCheck,
  FileCheck2,
  FileInput,
  PlugZap,
  Settings,
  type LucideIcon,
} from 'lucide-react';

export type PageId = 'inventory' | 'imports' | 'connectors' | 'campaigns' | 'evidence' | 'settings';

export interface PageEntry {
  id: PageId;
  label: string;
  icon: LucideIcon;
}

/** The work areas, in the order work flows: know what exists, bring it in, review it, prove it. */
export const WORK_PAGES: PageEntry[] = [
  { id: 'inventory', label: 'Inventory', icon: Boxes },
  { id: 'imports', label: 'Imports', icon: FileInput },
  { id: 'connectors', label: 'Connectors', icon: PlugZap },
  { id: 'campaigns', label: 'Campaigns', icon: ClipboardCheck },
  { id: 'evidence', label: 'Evidence', icon: FileCheck2 },
];

export const SETTINGS_PAGE: PageEntry = { id: 'settings', label: 'Settings', icon: Settings };

export const ALL_PAGES: PageEntry[] = [...WORK_PAGES, SETTINGS_PAGE];
