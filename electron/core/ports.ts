/**
 * Desktop powers the core may ask for. The shell implements them with Electron; the CLI and the tests
 * pass their own. A port that is missing answers NOT_AVAILABLE rather than guessing.
 */
export interface DialogPort {
  /** Shows the platform's folder picker; resolves to the chosen absolute path, or null when cancelled. */
  chooseVaultFolder(purpose: 'create' | 'open'): Promise<string | null>;
}

export interface CorePorts {
  dialogs?: DialogPort;
}
