import Database from 'better-sqlite3-multiple-ciphers';
import { AppError } from '../../../shared/api/errors';

export type Db = Database.Database;

export interface OpenOptions {
  /** Path of the compiled better-sqlite3 addon to load; the Electron shell passes its own build. */
  nativeBinding?: string | undefined;
  /** Create the file when missing (vault creation only). */
  create?: boolean;
}

/**
 * Opens the SQLCipher database with a raw 256-bit key. The raw key skips SQLCipher's own KDF on every
 * open (our scrypt wrap already is the passphrase KDF). `cipher` and `legacy` must come before the key:
 * the module's default cipher is ChaCha20, not SQLCipher v4.
 */
export function openEncryptedDatabase(path: string, dataKey: Buffer, options: OpenOptions = {}): Db {
  const db = new Database(path, {
    fileMustExist: !options.create,
    ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
  });
  try {
    db.pragma(`cipher='sqlcipher'`);
    db.pragma('legacy=4');
    // The key is hex we generated, never user text, so it is safe to place in the pragma.
    db.pragma(`key="x'${dataKey.toString('hex')}'"`);
    // Reading the schema is the first access that decrypts a page: a wrong key fails here.
    db.prepare('SELECT count(*) AS n FROM sqlite_master').get();
    db.pragma('journal_mode = WAL');
    // Decisions and imports must survive a power cut once the call returns.
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('secure_delete = ON');
    // SQLite3 Multiple Ciphers encrypts the database, its journals and WAL, but not temporary files:
    // a sort larger than the page cache (an index built after a bulk load, an ORDER BY over many
    // rows) would spill names and owners to a plaintext file in the temp folder. In memory, it never
    // does; the cost is memory while such a sort runs.
    db.pragma('temp_store = MEMORY');
    db.pragma('busy_timeout = 5000');
    return db;
  } catch (error) {
    db.close();
    const code = (error as { code?: string }).code;
    if (code === 'SQLITE_NOTADB') {
      throw new AppError(
        'VAULT_CORRUPT',
        'The vault database cannot be decrypted with the key in vault.json. The database or its header may be ' +
          'damaged or come from different vaults; restore both from the same backup.',
      );
    }
    throw error;
  }
}
