import type { HandlerMap } from '../handlers';

export const appHandlers: Pick<HandlerMap, 'app.info'> = {
  'app.info': async (_input, ctx) => ({
    name: 'Steward',
    version: ctx.appVersion,
    runtime: process.versions.electron
      ? `electron ${process.versions.electron}`
      : `node ${process.versions.node}`,
  }),
};
