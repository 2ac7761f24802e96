import { z } from 'zod';

/** The shortest passphrase Steward accepts for a new vault or a new passphrase. */
export const MIN_PASSPHRASE_LENGTH = 12;

export const newPassphraseSchema = z
  .string()
  .min(MIN_PASSPHRASE_LENGTH, `Use at least ${MIN_PASSPHRASE_LENGTH} characters for the passphrase.`)
  .max(1024, 'Use at most 1024 characters for the passphrase.');

export const passphraseSchema = z.string().min(1, 'Enter the passphrase.').max(1024);

export const vaultStateSchema = z.enum(['absent', 'locked', 'unlocked']);

export const vaultStatusSchema = z.object({
  /** `absent`: no vault in the folder yet; `locked`: a vault exists; `unlocked`: open for work. */
  state: vaultStateSchema,
  /** The vault folder this core works on. */
  folder: z.string(),
  /** The database schema version when unlocked, else null. */
  schemaVersion: z.number().int().nullable(),
  /** When the vault was created (from its header), if one exists. */
  createdAt: z.string().datetime().nullable(),
  /** The key-derivation function protecting the data key, if a vault exists. */
  kdf: z.string().nullable(),
});

export type VaultState = z.infer<typeof vaultStateSchema>;
export type VaultStatus = z.infer<typeof vaultStatusSchema>;
