import { existsSync, statSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import type { FilePort } from '../core/ports';

/** Electron's `shell.openPath`: resolves to '' when opened, else the desktop's error message. */
export type PathOpener = (path: string) => Promise<string>;
/** Electron's `shell.showItemInFolder`. */
export type FolderRevealer = (path: string) => void;

/** The kinds of file Steward writes for people to read; nothing the desktop would run. */
export const OPENABLE_EXTENSIONS: readonly string[] = ['.pdf', '.xlsx'];

/**
 * The files the user picked in this session's save and verify dialogs: the only ones the file port
 * hands to the desktop. Kept in the main process, so the renderer cannot add to it.
 */
export class ChosenFiles {
  private readonly paths = new Set<string>();

  remember(path: string): void {
    this.paths.add(resolve(path));
  }

  has(path: string): boolean {
    return this.paths.has(resolve(path));
  }
}

function refusal(path: string, chosen: ChosenFiles): string | null {
  if (!chosen.has(path))
    return `Steward opens only the files it saved or you chose in this session; open ${path} from your file manager.`;
  if (!OPENABLE_EXTENSIONS.includes(extname(path).toLowerCase()))
    return `Steward opens only the PDF and XLSX files it writes; ${path} is neither.`;
  if (!existsSync(path) || !statSync(path).isFile())
    return `${path} is no longer there: it was moved or deleted. Generate the pack again.`;
  return null;
}

/**
 * The core's FilePort on the desktop. Every path is checked against the files chosen in this
 * session's dialogs and the kinds Steward writes before the desktop sees it, so a path the renderer
 * made up can never launch a program.
 */
export function createDesktopFilePort(
  openPath: PathOpener,
  showItemInFolder: FolderRevealer,
  chosen: ChosenFiles,
): FilePort {
  return {
    async openPath(path) {
      const refused = refusal(path, chosen);
      if (refused) return refused;
      try {
        const failure = await openPath(resolve(path));
        return failure === '' ? null : `The desktop could not open ${path}: ${failure}`;
      } catch (error) {
        return `The desktop could not open ${path}: ${(error as Error).message}`;
      }
    },
    async showInFolder(path) {
      const refused = refusal(path, chosen);
      if (refused) return refused;
      showItemInFolder(resolve(path));
      return null;
    },
  };
}
