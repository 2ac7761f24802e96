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
  /**
   * Shows the platform's open dialog for one signing certificate (.p12 / .pfx); null when cancelled.
   * Optional: a port without it answers NOT_AVAILABLE.
   */
  chooseSigningCertificate?(): Promise<string | null>;
  /** Shows the platform's open dialog for one evidence PDF to verify; null when cancelled. Optional. */
  chooseEvidenceFile?(): Promise<string | null>;
}

/**
 * Hands a file to the desktop. Implementations open only files Steward wrote or the user chose in one
 * of this session's dialogs, and only the kinds Steward writes (PDF, XLSX): a path the renderer made up
 * must never reach the system's "open" (it could name a program).
 */
export interface FilePort {
  /** Opens `path` in the system's default application; resolves to null when opened, or why not. */
  openPath(path: string): Promise<string | null>;
  /** Shows `path` selected in the system's file manager; resolves to null when shown, or why not. */
  showInFolder(path: string): Promise<string | null>;
}

export interface CorePorts {
  dialogs?: DialogPort;
  files?: FilePort;
}
