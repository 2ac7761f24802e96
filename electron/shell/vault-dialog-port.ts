import type {
  OpenDialogOptions,
  OpenDialogReturnValue,
  SaveDialogOptions,
  SaveDialogReturnValue,
} from 'electron';
import type { DialogPort } from '../core/ports';

/** Electron's `dialog.showOpenDialog`, bound to the main window when there is one. */
export type ShowOpenDialog = (options: OpenDialogOptions) => Promise<OpenDialogReturnValue>;
/** Electron's `dialog.showSaveDialog`, bound to the main window when there is one. */
export type ShowSaveDialog = (options: SaveDialogOptions) => Promise<SaveDialogReturnValue>;

/** The export files Steward reads; "All files" stays available because exports are often misnamed. */
export const IMPORT_FILE_DIALOG_OPTIONS: OpenDialogOptions = {
  title: 'Choose the export files to import',
  buttonLabel: 'Choose',
  properties: ['openFile', 'multiSelections'],
  filters: [
    { name: 'Inventory exports', extensions: ['csv', 'txt', 'tsv', 'xlsx', 'json'] },
    { name: 'All files', extensions: ['*'] },
  ],
};

/** The organisation's signing certificate with its key, as PKI teams hand it out. */
export const SIGNING_CERTIFICATE_DIALOG_OPTIONS: OpenDialogOptions = {
  title: 'Choose the signing certificate (PKCS#12)',
  buttonLabel: 'Choose',
  properties: ['openFile'],
  filters: [
    { name: 'PKCS#12 certificate and key', extensions: ['p12', 'pfx'] },
    { name: 'All files', extensions: ['*'] },
  ],
};

/** A signed evidence pack to verify; "All files" stays because packs are renamed when passed around. */
export const EVIDENCE_FILE_DIALOG_OPTIONS: OpenDialogOptions = {
  title: 'Choose an evidence pack to verify',
  buttonLabel: 'Verify',
  properties: ['openFile'],
  filters: [
    { name: 'PDF evidence pack', extensions: ['pdf'] },
    { name: 'All files', extensions: ['*'] },
  ],
};

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
 * each call so the picker starts where the current vault is. `onChosenFile` hears every file the user
 * picked to save to or to verify, so the file port may later open those (and only those).
 */
export function createVaultDialogPort(
  showOpenDialog: ShowOpenDialog,
  showSaveDialog: ShowSaveDialog,
  defaultPath: () => string,
  onChosenFile: (path: string) => void = () => undefined,
): DialogPort {
  const chooseOne = async (options: OpenDialogOptions): Promise<string | null> => {
    const result = await showOpenDialog(options);
    const chosen = result.filePaths[0];
    return result.canceled || !chosen ? null : chosen;
  };
  return {
    async chooseVaultFolder(purpose) {
      const result = await showOpenDialog(vaultFolderDialogOptions(purpose, defaultPath()));
      const chosen = result.filePaths[0];
      return result.canceled || !chosen ? null : chosen;
    },
    async chooseImportFiles() {
      const result = await showOpenDialog(IMPORT_FILE_DIALOG_OPTIONS);
      return result.canceled || result.filePaths.length === 0 ? null : result.filePaths;
    },
    async chooseSavePath(defaultName, filter) {
      const result = await showSaveDialog({
        defaultPath: defaultName,
        filters: [filter],
        properties: ['showOverwriteConfirmation'],
      });
      if (result.canceled || !result.filePath) return null;
      onChosenFile(result.filePath);
      return result.filePath;
    },
    chooseSigningCertificate: () => chooseOne(SIGNING_CERTIFICATE_DIALOG_OPTIONS),
    async chooseEvidenceFile() {
      const chosen = await chooseOne(EVIDENCE_FILE_DIALOG_OPTIONS);
      if (chosen) onChosenFile(chosen);
      return chosen;
    },
  };
}
