import type { connectorEntries } from '../../../shared/api/entries/connector-entries';
import type { HandlerMap } from '../handlers';

/** Handlers of the connector domain: profiles, connection tests and pulls. */
export const connectorHandlers: Pick<HandlerMap, keyof typeof connectorEntries> = {};
