import type { reviewEntries } from '../../../shared/api/entries/review-entries';
import { bulkDecide, undoLastDecision } from '../decisions/review-decision-batch';
import type { HandlerMap } from '../handlers';
import { currentUser } from '../imports/import-handlers';
import { searchPeople } from '../people/people-search';
import { queueIds, reviewItemDetail, reviewQueue } from './review-queue';
import { listViews, removeView, saveView } from './review-views';

/**
 * Handlers of the reviewer's workspace. Writes that append to the decision log run behind the vault
 * queue (ctx.exclusive), so records never race for a sequence number.
 */
export const reviewHandlers: Pick<HandlerMap, keyof typeof reviewEntries> = {
  'review.queue': async (input, ctx) => reviewQueue(ctx.vault.database, input),
  'review.queueIds': async (input, ctx) => queueIds(ctx.vault.database, input),
  'review.bulkDecide': (input, ctx) =>
    ctx.exclusive(async () => bulkDecide(ctx.vault.database, input, currentUser())),
  'review.undo': (input, ctx) =>
    ctx.exclusive(async () =>
      undoLastDecision(ctx.vault.database, input.campaignId, input.actor ?? currentUser()),
    ),
  'people.search': async (input, ctx) => searchPeople(ctx.vault.database, input.query, input.limit),
  'review.listViews': async (_input, ctx) => listViews(ctx.vault.database),
  'review.saveView': (input, ctx) =>
    ctx.exclusive(async () => saveView(ctx.vault.database, input.name, input.filters)),
  'review.removeView': (input, ctx) => ctx.exclusive(async () => removeView(ctx.vault.database, input.id)),
  'review.item': async (input, ctx) => reviewItemDetail(ctx.vault.database, input.campaignId, input.itemId),
};
