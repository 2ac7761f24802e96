import { awsConnector } from './aws/aws-connector';
import type { Connector, ConnectorType } from './connector-types';
import { entraConnector } from './entra/entra-connector';
import { githubConnector } from './github/github-connector';
import { kubernetesConnector } from './kubernetes/kubernetes-connector';

/**
 * Every connector Steward ships, by type. Each vendor's module adds itself here with one line; the
 * pull runner, the handlers and the CLI look connectors up only through `connectorFor`.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- options and secrets are validated by each connector's own schemas
const connectors: Partial<Record<ConnectorType, Connector<any, any>>> = {
  aws: awsConnector,
  entra: entraConnector,
  github: githubConnector,
  kubernetes: kubernetesConnector,
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above
export function connectorFor(type: ConnectorType): Connector<any, any> | undefined {
  return connectors[type];
}

export function availableConnectorTypes(): ConnectorType[] {
  return (Object.keys(connectors) as ConnectorType[]).sort();
}
