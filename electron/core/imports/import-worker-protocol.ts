import type { AppErrorShape } from '../../../shared/api/errors';
import type { ImportStage } from './import-runner';
import type { SnapshotSummary } from './snapshot-writer';

/** What the worker is started with: the lent database and the request. Plain data only. */
export interface ImportWorkerData {
  path: string;
  keyHex: string;
  nativeBinding: string | undefined;
  request: unknown;
}

/** What the worker says, in order: progress any number of times, then done or failed once. */
export type ImportWorkerMessage =
  | { type: 'progress'; done: number }
  | { type: 'stage'; stage: ImportStage }
  | { type: 'done'; summary: SnapshotSummary }
  | { type: 'failed'; error: AppErrorShape };
