import type { OpenDialogOptions, OpenDialogReturnValue } from 'electron';
import type { DialogPort } from '../core/ports';

/** Electron's `dialog.showOpenDialog`, bound to the main window when there is one. */
export type ShowOpenDialog = (options: OpenDialogOptions) => Promise<OpenDialogReturnValue>;

/** What the folder picker says for each purpose; the renderer never passes a path itself. */
export function vaultFolderDialogOptions(purpose: 'create' | 'open', defaultPath: string): OpenDialogOptions {
  return purpose === 'create'
    ? {
        title: 'Choose a folder for the new vault',
        buttonLabel: 'Create vault here',
        defaultPath,
        properties: ['openDirectory', 'createDirectory'],
      }
    : {
        title: 'Open a vault folder',
        buttonLabel: 'Open vault',
        defaultPath,
        properties: ['openDirectory', 'createDirectory'],
      };
}

/**
 * The core's DialogPort on the desktop: the platform's folder picker. `defaultPath` is asked for at
 * each call so the picker starts where the current vault is.
 */
export function createVaultDialogPort(showOpenDialog: ShowOpenDialog, defaultPath: () => string): DialogPort {
  return {
    async chooseVaultFolder(purpose) {
      const result = await showOpenDialog(vaultFolderDialogOptions(purpose, defaultPath()));
      const chosen = result.filePaths[0];
      return result.canceled || !chosen ? null : chosen;
    },
  };
}
