import type { reviewEntries } from '../../../shared/api/entries/review-entries';
import type { HandlerMap } from '../handlers';

/** Handlers the review workspace and the campaign owner's screens need beyond the campaign life cycle. */
export const reviewHandlers: Pick<HandlerMap, keyof typeof reviewEntries> = {};
