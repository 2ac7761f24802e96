/**
 * Desktop powers the core may ask for. The shell implements them with Electron; the CLI and the tests
 * pass their own. A port that is missing answers NOT_AVAILABLE rather than guessing.
 */
export interface DialogPort {
  /** Shows the platform's folder picker; resolves to the chosen absolute path, or null when cancelled. */
  chooseVaultFolder(purpose: 'create' | 'open'): Promise<string | null>;
  /** Shows the platform's open dialog for export files (several allowed); null when cancelled. */
  chooseImportFiles(): Promise<string[] | null>;
  /** Shows the platform's save dialog proposing `defaultName`; null when cancelled. */
  chooseSavePath(defaultName: string, filter: { name: string; extensions: string[] }): Promise<string | null>;
}

export interface CorePorts {
  dialogs?: DialogPort;
}
