import type { Migration } from '../migrate';

/**
 * The signing certificate of evidence packs. One row per certificate the vault ever signed with;
 * exactly one is active (a partial unique index). The private key is PKCS#8 PEM and lives only in
 * this encrypted database; replacing a signer clears the old key but keeps its certificate and
 * fingerprint, so packs it signed can still be matched to it.
 */
export const migration003EvidenceSigner: Migration = {
  version: 3,
  name: 'evidence-signer',
  up(db) {
    db.exec(`
      CREATE TABLE evidence_signers (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        email TEXT,
        -- SHA-256 of the DER certificate, uppercase hex pairs joined by colons.
        fingerprint TEXT NOT NULL,
        certificate_pem TEXT NOT NULL,
        -- Issuer certificates that came with an imported PKCS#12, a JSON array of PEM.
        chain_pem TEXT NOT NULL DEFAULT '[]',
        private_key_pem TEXT,
        not_before TEXT NOT NULL,
        not_after TEXT NOT NULL,
        origin TEXT NOT NULL CHECK (origin IN ('generated', 'imported')),
        created_at TEXT NOT NULL,
        active INTEGER NOT NULL DEFAULT 0 CHECK (active IN (0, 1)),
        retired_at TEXT,
        CHECK (active = 0 OR private_key_pem IS NOT NULL)
      ) STRICT;
      CREATE UNIQUE INDEX evidence_signers_one_active ON evidence_signers(active) WHERE active = 1;
    `);
  },
};
