import { mkdirSync, rmSync } from 'node:fs';
import { AppError } from '../../../shared/api/errors';
import type { EventPayload } from '../../../shared/api/events';
import type { VaultStatus } from '../../../shared/api/schemas/vault';
import { latestSchemaVersion, migrate } from '../db/migrate';
import { openEncryptedDatabase, type Db } from '../db/open-database';
import { SCRYPT_DEFAULT, newDataKey, unwrapDataKey, wrapDataKey } from './key-wrap';
import {
  buildHeader,
  databasePath,
  headerAssociatedData,
  headerPath,
  readHeader,
  vaultExists,
  wrappedKeyOf,
  writeHeader,
  type VaultHeader,
} from './vault-header';
import { VaultLockFile } from './vault-lock-file';

export interface VaultOptions {
  nativeBinding?: string | undefined;
  /** Told when the database is lent (what for, and what reads say meanwhile) and when it is back (null). */
  onLoan?: (loan: { work: VaultWork; busyMessage: string } | null) => void;
}

/** The long work a loan of the database is for (the vault worker's jobs), as the window hears of it. */
export type VaultWork = NonNullable<EventPayload<'vault.busy'>['work']>;

/** What another thread needs to open this vault's database itself. */
export interface DatabaseLoan {
  path: string;
  key: Buffer;
  nativeBinding: string | undefined;
}

/**
 * One vault folder: `vault.json` (the wrapped data key) and `steward.db` (SQLCipher). Holds the open
 * database while unlocked; nothing else in the core touches the key.
 */
export class Vault {
  private db: Db | null = null;
  /** Kept while unlocked only so the database can be lent to a worker thread (SQLCipher holds it too). */
  private key: Buffer | null = null;
  /** While the database is lent: what reads say meanwhile (BUSY). */
  private lentFor: string | null = null;
  /** While the database is lent for work that calls should wait out rather than fail: its end. */
  private waitedOut: Promise<void> | null = null;
  private readonly lockFile: VaultLockFile;

  constructor(
    readonly folder: string,
    private readonly options: VaultOptions = {},
  ) {
    this.lockFile = new VaultLockFile(folder);
  }

  get isUnlocked(): boolean {
    return this.db !== null || this.lentFor !== null;
  }

  /** The open database; VAULT_LOCKED when the vault is locked, so handlers need no check of their own. */
  get database(): Db {
    if (this.lentFor !== null) throw new AppError('BUSY', this.lentFor);
    if (!this.db)
      throw new AppError('VAULT_LOCKED', 'The vault is locked. Unlock it with your passphrase first.');
    return this.db;
  }

  /**
   * Closes the database in this thread for the duration of `work`, which opens it elsewhere (a worker
   * thread that writes an import, builds the risk-signal index or launches a campaign while this
   * thread keeps answering the window). Only one connection is open at a time, so the worker may
   * switch journal modes for a bulk load. Meanwhile reads fail with BUSY and `loan.busyMessage`,
   * unless `loan.callsWait`: then `whenAvailable` lets calls wait for the database instead.
   */
  async lendDatabase<T>(
    work: (loan: DatabaseLoan) => Promise<T>,
    loan: { work: VaultWork; busyMessage: string; callsWait: boolean },
  ): Promise<T> {
    const db = this.database;
    const key = this.key;
    if (!key)
      throw new AppError('VAULT_LOCKED', 'The vault is locked. Unlock it with your passphrase first.');
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    this.db = null;
    this.lentFor = loan.busyMessage;
    this.options.onLoan?.({ work: loan.work, busyMessage: loan.busyMessage });
    let returned = () => {};
    if (loan.callsWait) this.waitedOut = new Promise<void>((resolve) => (returned = resolve));
    const loanKey = Buffer.from(key);
    try {
      return await work({
        path: databasePath(this.folder),
        key: loanKey,
        nativeBinding: this.options.nativeBinding,
      });
    } finally {
      loanKey.fill(0);
      this.lentFor = null;
      try {
        // Locked meanwhile (the app quit during the import): stay locked.
        if (this.key !== null) {
          this.db = openEncryptedDatabase(databasePath(this.folder), key, {
            nativeBinding: this.options.nativeBinding,
          });
        }
      } finally {
        // Calls that waited go on even if reopening failed: they then meet the error themselves.
        this.waitedOut = null;
        returned();
        this.options.onLoan?.(null);
      }
    }
  }

  /** The end of a loan that calls wait out, or null when there is none (nothing to wait for). */
  whenAvailable(): Promise<void> | null {
    return this.waitedOut;
  }

  status(): VaultStatus {
    if (!vaultExists(this.folder)) {
      return { state: 'absent', folder: this.folder, schemaVersion: null, createdAt: null, kdf: null };
    }
    let header: VaultHeader | null = null;
    try {
      header = readHeader(this.folder);
    } catch {
      // status() never fails: a broken header shows as locked, and unlock explains what is wrong.
    }
    return {
      state: this.isUnlocked ? 'unlocked' : 'locked',
      folder: this.folder,
      schemaVersion: this.db
        ? (this.db.pragma('user_version', { simple: true }) as number)
        : this.lentFor !== null
          ? latestSchemaVersion()
          : null,
      createdAt: header?.createdAt ?? null,
      kdf: header?.kdf ?? null,
    };
  }

  async create(passphrase: string): Promise<VaultStatus> {
    if (vaultExists(this.folder)) {
      throw new AppError(
        'VAULT_EXISTS',
        `${this.folder} already holds a Steward vault. Unlock it, or choose an empty folder for a new vault.`,
      );
    }
    mkdirSync(this.folder, { recursive: true, mode: 0o700 });
    const dataKey = newDataKey();
    const createdAt = new Date().toISOString();
    const params = { ...SCRYPT_DEFAULT };
    const associated = headerAssociatedData({ format: 1, kdf: 'scrypt', kdfParams: params, createdAt });
    const wrapped = await wrapDataKey(dataKey, passphrase, params, associated);
    try {
      // Exclusive: if another process created a vault here meanwhile, this fails instead of overwriting it.
      writeHeader(this.folder, buildHeader(createdAt, params, wrapped), { exclusive: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
        throw new AppError(
          'VAULT_EXISTS',
          `${this.folder} already holds a Steward vault. Choose an empty folder.`,
        );
      }
      throw error;
    }
    try {
      this.lockFile.acquire();
      const db = openEncryptedDatabase(databasePath(this.folder), dataKey, {
        create: true,
        nativeBinding: this.options.nativeBinding,
      });
      this.db = db;
      migrate(db);
      this.key = Buffer.from(dataKey);
    } catch (error) {
      // Only what this call created is removed: the folder held no vault when it started.
      this.closeDatabase();
      for (const suffix of ['', '-wal', '-shm', '-journal'])
        rmSync(databasePath(this.folder) + suffix, { force: true });
      rmSync(headerPath(this.folder), { force: true });
      throw error;
    } finally {
      dataKey.fill(0);
    }
    return this.status();
  }

  async unlock(passphrase: string): Promise<VaultStatus> {
    if (this.db) {
      throw new AppError('VAULT_ALREADY_UNLOCKED', 'The vault is already unlocked.');
    }
    const header = readHeader(this.folder);
    const dataKey = await unwrapDataKey(
      wrappedKeyOf(header),
      passphrase,
      header.kdfParams,
      headerAssociatedData(header),
    );
    if (!dataKey) {
      throw new AppError(
        'WRONG_PASSPHRASE',
        'That passphrase does not unlock this vault. Check it and try again.',
      );
    }
    try {
      this.lockFile.acquire();
      this.db = openEncryptedDatabase(databasePath(this.folder), dataKey, {
        nativeBinding: this.options.nativeBinding,
      });
      migrate(this.db);
      this.key = Buffer.from(dataKey);
    } catch (error) {
      this.closeDatabase();
      throw error;
    } finally {
      dataKey.fill(0);
    }
    return this.status();
  }

  lock(): VaultStatus {
    this.closeDatabase();
    return this.status();
  }

  async changePassphrase(currentPassphrase: string, newPassphrase: string): Promise<VaultStatus> {
    const header = readHeader(this.folder);
    const dataKey = await unwrapDataKey(
      wrappedKeyOf(header),
      currentPassphrase,
      header.kdfParams,
      headerAssociatedData(header),
    );
    if (!dataKey) {
      throw new AppError('WRONG_PASSPHRASE', 'The current passphrase is not right. Nothing was changed.');
    }
    try {
      // New salt and nonce; the creation date stays, so the header keeps saying when the vault was made.
      const params = { ...SCRYPT_DEFAULT };
      const rewrapped = await wrapDataKey(
        dataKey,
        newPassphrase,
        params,
        headerAssociatedData({ format: 1, kdf: 'scrypt', kdfParams: params, createdAt: header.createdAt }),
      );
      writeHeader(this.folder, buildHeader(header.createdAt, params, rewrapped));
    } finally {
      dataKey.fill(0);
    }
    return this.status();
  }

  private closeDatabase(): void {
    this.key?.fill(0);
    this.key = null;
    if (this.db) {
      try {
        // Folds the WAL back into the encrypted file so the folder holds one consistent database.
        this.db.pragma('wal_checkpoint(TRUNCATE)');
      } finally {
        this.db.close();
        this.db = null;
      }
    }
    this.lockFile.release();
  }
}
