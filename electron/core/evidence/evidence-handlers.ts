import type { evidenceEntries } from '../../../shared/api/entries/evidence-entries';
import type { HandlerMap } from '../handlers';

/** Handlers of the evidence domain: signer, evidence pack export, verification. */
export const evidenceHandlers: Pick<HandlerMap, keyof typeof evidenceEntries> = {};
