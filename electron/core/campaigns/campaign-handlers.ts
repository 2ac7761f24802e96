import type { HandlerMap } from '../handlers';
import { currentUser } from '../imports/import-handlers';
import { announceSignalsProgress } from '../risk/signal-index-task';
import { runInVaultWorker } from '../vault/run-in-vault-worker';
import { recordDecision, signOff } from '../decisions/review-decisions';
import { verifyDecisionLog } from '../decisions/decision-log';
import {
  campaignStatus,
  closeCampaign,
  createCampaign,
  getCampaign,
  launchCampaign,
  listCampaigns,
  type Campaign,
  listItems,
} from './campaigns';

type CampaignMethods =
  | 'campaigns.create'
  | 'campaigns.launch'
  | 'campaigns.list'
  | 'campaigns.get'
  | 'campaigns.items'
  | 'decisions.record'
  | 'campaigns.signOff'
  | 'campaigns.close'
  | 'campaigns.status'
  | 'log.verify';

/** Writes run one at a time behind the vault queue, so log records never race for a sequence number. */
export const campaignHandlers: Pick<HandlerMap, CampaignMethods> = {
  'campaigns.create': (input, ctx) =>
    ctx.exclusive(async () => createCampaign(ctx.vault.database, input, currentUser())),
  // A launch freezes every identity in scope (100,000 take seconds, and the signal index for its date
  // may need building first): in the vault worker when there is one, so the window stays responsive.
  'campaigns.launch': (input, ctx) =>
    ctx.exclusive(async () => {
      const actor = input.actor ?? currentUser();
      if (!ctx.vaultWorkerScript) {
        return launchCampaign(ctx.vault.database, input.campaignId, actor, (progress) =>
          ctx.emit('signals.progress', progress),
        );
      }
      const launched = await runInVaultWorker(
        ctx.vault,
        ctx.vaultWorkerScript,
        { kind: 'campaign-launch', campaignId: input.campaignId, actor },
        {
          busyMessage: 'A campaign is being launched. This is available again when it is done.',
          callsWait: true,
          onProgress: (message) => announceSignalsProgress(ctx, message),
        },
      );
      return launched as Campaign;
    }),
  'campaigns.list': async (_input, ctx) => listCampaigns(ctx.vault.database),
  'campaigns.get': async (input, ctx) => getCampaign(ctx.vault.database, input.campaignId),
  'campaigns.items': async (input, ctx) => listItems(ctx.vault.database, input),
  'decisions.record': (input, ctx) =>
    ctx.exclusive(async () => recordDecision(ctx.vault.database, input, currentUser())),
  'campaigns.signOff': (input, ctx) =>
    ctx.exclusive(async () => signOff(ctx.vault.database, input.campaignId, input.actor ?? currentUser())),
  'campaigns.close': (input, ctx) =>
    ctx.exclusive(async () =>
      closeCampaign(ctx.vault.database, input.campaignId, input.actor ?? currentUser(), input.exceptions),
    ),
  'campaigns.status': async (input, ctx) => campaignStatus(ctx.vault.database, input.campaignId),
  'log.verify': async (input, ctx) => verifyDecisionLog(ctx.vault.database, input.expectedHead),
};
