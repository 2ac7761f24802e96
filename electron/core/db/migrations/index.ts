import type { Migration } from '../migrate';
import { migration001Initial } from './001-initial';
import { migration002SnapshotHistory } from './002-snapshot-history';

/** Every migration, in order. Append; never edit or reorder a shipped one. */
export const migrations: readonly Migration[] = [migration001Initial, migration002SnapshotHistory];
