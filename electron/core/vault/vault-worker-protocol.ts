import type { AppErrorShape } from '../../../shared/api/errors';
import type { EvidenceFilesRequest, EvidenceProgress } from '../evidence/evidence-export';
import type { ImportStage } from '../imports/import-runner';

/**
 * Long vault work the vault worker does with the database lent to it, so the thread that answers
 * the window stays free: an import (then today's risk signals), the risk-signal index for a date, a
 * campaign launch, an evidence export.
 */
export type VaultWorkerJob =
  | { kind: 'import'; request: unknown }
  | { kind: 'signal-index'; asOf: string }
  | { kind: 'campaign-launch'; campaignId: number; actor: string }
  | { kind: 'evidence-export'; request: EvidenceFilesRequest };

/** What the worker is started with: the lent database and the job. Plain data only. */
export interface VaultWorkerData {
  path: string;
  keyHex: string;
  nativeBinding: string | undefined;
  job: VaultWorkerJob;
  /**
   * One Int32 the calling thread sets to 1 to cancel. A message would wait for the worker's event
   * loop, which a job that never yields (drawing a PDF) does not turn until it is done.
   */
  cancelFlag: SharedArrayBuffer;
}

/**
 * What the worker says, in order: progress of any kind any number of times, then done or failed
 * once. `rows` counts an import's rows read; `signals` counts identities evaluated for the signal
 * index, of `total`; `evidence` is a step of an evidence export.
 */
export type VaultWorkerMessage =
  | { type: 'rows'; done: number }
  | { type: 'stage'; stage: ImportStage }
  | { type: 'signals'; asOf: string; done: number; total: number }
  | { type: 'evidence'; progress: EvidenceProgress }
  | { type: 'done'; result: unknown }
  | { type: 'failed'; error: AppErrorShape };
