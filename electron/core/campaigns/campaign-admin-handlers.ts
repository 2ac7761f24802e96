import type { campaignAdminEntries } from '../../../shared/api/entries/campaign-admin-entries';
import type { HandlerMap } from '../handlers';

/** Handlers for the campaign owner's screens: reassignments, due dates, progress. */
export const campaignAdminHandlers: Pick<HandlerMap, keyof typeof campaignAdminEntries> = {};
