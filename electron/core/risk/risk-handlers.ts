import { riskPolicySchema } from '../../../shared/api/schemas/risk';
import type { HandlerMap } from '../handlers';
import { readRiskPolicy, writeRiskPolicy } from './risk-policy-store';

export const riskHandlers: Pick<HandlerMap, 'policy.get' | 'policy.update'> = {
  'policy.get': async (_input, ctx) => ({
    ...readRiskPolicy(ctx.vault.database),
    defaults: riskPolicySchema.parse({}),
  }),

  'policy.update': (input, ctx) =>
    ctx.exclusive(async () => {
      writeRiskPolicy(ctx.vault.database, input.policy);
      return { ...readRiskPolicy(ctx.vault.database), defaults: riskPolicySchema.parse({}) };
    }),
};
