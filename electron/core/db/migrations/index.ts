import type { Migration } from '../migrate';
import { migration001Initial } from './001-initial';

/** Every migration, in order. Append; never edit or reorder a shipped one. */
export const migrations: readonly Migration[] = [migration001Initial];
