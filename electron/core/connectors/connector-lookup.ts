import type { Connector, ConnectorType } from './connector-types';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- options and secrets are validated by each connector's own schemas
export type AnyConnector = Connector<any, any>;

const substitutes = new Map<ConnectorType, AnyConnector>();

/**
 * The connector the profiles, the pull runner and the handlers use for a type: the registered one
 * (connector-registry.ts), unless a test has put one of its own in place with `substituteConnector`.
 */
export async function lookupConnector(type: ConnectorType): Promise<AnyConnector | undefined> {
  const substitute = substitutes.get(type);
  if (substitute) return substitute;
  // Loaded on first use: the four vendor SDKs cost every process ~85 MB and half a second at start
  // (an import, the CLI's --version), and most runs never pull.
  const { connectorFor } = await import('./connector-registry');
  return connectorFor(type);
}

/**
 * Puts `connector` in place of the registered connector of its type in this process, until the
 * returned function is called. This is how tests drive the framework (handlers, CLI in-process, the
 * app in e2e) with a connector of their own against a loopback server, through the same code paths
 * as a shipped connector. Nothing in the app calls it.
 */
export function substituteConnector(connector: AnyConnector): () => void {
  const type = connector.type;
  substitutes.set(type, connector);
  return () => {
    if (substitutes.get(type) === connector) substitutes.delete(type);
  };
}
