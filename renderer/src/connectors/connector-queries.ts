import { useQuery } from '@tanstack/react-query';
import type { MethodOutput } from '../../../shared/api/contract';
import { call } from '../bridge-client';

export type ConnectorProfileView = MethodOutput<'connectors.list'>[number];
export type ConnectorTypeView = MethodOutput<'connectors.types'>[number];
export type ConnectorPullView = MethodOutput<'connectors.pulls'>[number];
export type ConnectionCheckView = MethodOutput<'connectors.test'>[number];

/** Everything drawn from connector profiles and pulls; invalidated after an add, a pull or a remove. */
export const connectorKeys = {
  all: ['connectors'] as const,
  profiles: ['connectors', 'profiles'] as const,
  types: ['connectors', 'types'] as const,
  pulls: (name: string) => ['connectors', 'pulls', name] as const,
};

export function useConnectorProfiles() {
  return useQuery({ queryKey: connectorKeys.profiles, queryFn: () => call('connectors.list', {}) });
}

export function useConnectorTypes() {
  return useQuery({
    queryKey: connectorKeys.types,
    queryFn: () => call('connectors.types', {}),
    staleTime: Infinity,
  });
}

export function useConnectorPulls(name: string) {
  return useQuery({
    queryKey: connectorKeys.pulls(name),
    queryFn: () => call('connectors.pulls', { name, limit: 20 }),
  });
}

/** A task id for `task.progress` and `connectors.cancel`: unique enough within one window. */
export function newTaskId(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}
