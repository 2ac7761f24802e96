import type { Method, MethodOutput, ParsedInput } from '../../shared/api/contract';
import { appHandlers } from './app/app-handlers';
import { campaignAdminHandlers } from './campaigns/campaign-admin-handlers';
import { campaignHandlers } from './campaigns/campaign-handlers';
import { reviewHandlers } from './campaigns/review-handlers';
import { connectorHandlers } from './connectors/connector-handlers';
import { evidenceHandlers } from './evidence/evidence-handlers';
import { importHandlers } from './imports/import-handlers';
import { riskHandlers } from './risk/risk-handlers';
import type { CoreContext } from './core-context';
import { vaultHandlers } from './vault/vault-handlers';

export type Handler<M extends Method> = (input: ParsedInput<M>, ctx: CoreContext) => Promise<MethodOutput<M>>;
export type HandlerMap = { [M in Method]: Handler<M> };

/** Every contract method's handler. The type makes a missing handler a compile error. */
export const handlers: HandlerMap = {
  ...appHandlers,
  ...vaultHandlers,
  ...importHandlers,
  ...riskHandlers,
  ...campaignHandlers,
  ...reviewHandlers,
  ...campaignAdminHandlers,
  ...evidenceHandlers,
  ...connectorHandlers,
};
