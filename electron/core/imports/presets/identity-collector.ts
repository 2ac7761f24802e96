import type { NormalizedIdentity } from '../../../../shared/domain/identity';
import type { ImportNote } from '../preset-types';

/**
 * Collects a preset's identities, keeping the first of any id listed twice (an export that repeats an
 * item, a page given twice) and noting the repeat for the auditor instead of merging or dropping it.
 */
export function identityCollector(notes: ImportNote[]): {
  identities: NormalizedIdentity[];
  keep(identity: NormalizedIdentity, file: string, row: number): void;
} {
  const identities: NormalizedIdentity[] = [];
  const seen = new Set<string>();
  return {
    identities,
    keep(identity, file, row) {
      if (seen.has(identity.externalId)) {
        notes.push({
          file,
          row,
          message: `${identity.name} (${identity.externalId}) appears twice; the first copy was kept.`,
        });
        return;
      }
      seen.add(identity.externalId);
      identities.push(identity);
    },
  };
}
