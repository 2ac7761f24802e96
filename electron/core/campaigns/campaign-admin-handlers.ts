import type { campaignAdminEntries } from '../../../shared/api/entries/campaign-admin-entries';
import type { HandlerMap } from '../handlers';
import { currentUser } from '../imports/import-handlers';
import { withSignalIndex } from '../risk/signal-index-task';
import { campaignProgress, extendDue, previewScope, reassignItems } from './campaign-admin';

/**
 * Handlers for the campaign owner's screens. Writes run one at a time behind the vault queue, so their
 * log records never race for a sequence number; reads do not wait.
 */
export const campaignAdminHandlers: Pick<HandlerMap, keyof typeof campaignAdminEntries> = {
  // The preview counts signals at its as-of date: their index is built off this thread first.
  'campaigns.previewScope': (input, ctx) =>
    withSignalIndex(ctx, input.asOf, () =>
      previewScope(ctx.vault.database, input.scope, input.asOf, input.owner ?? currentUser()),
    ),
  'campaigns.progress': async (_input, ctx) => campaignProgress(ctx.vault.database),
  'campaigns.reassignItems': (input, ctx) =>
    ctx.exclusive(async () => reassignItems(ctx.vault.database, input, currentUser())),
  'campaigns.extendDue': (input, ctx) =>
    ctx.exclusive(async () => extendDue(ctx.vault.database, input, currentUser())),
};
