import { useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useEffect, useEffectEvent } from 'react';
import type { Bridge } from '../../shared/api/bridge';
import type { Method, MethodInput, MethodOutput } from '../../shared/api/contract';
import type { ErrorCode } from '../../shared/api/errors';
import { eventSchemas, type EventName, type EventPayload } from '../../shared/api/events';
import type { VaultStatus } from '../../shared/api/schemas/vault';

declare global {
  interface Window {
    /** Set by the preload in Electron and by the Playwright harness in tests; nothing else reaches the core. */
    bridge?: Bridge;
  }
}

/** A call the core answered with `ok: false`, carried as a thrown error so TanStack Query can hold it. */
export class BridgeError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = 'BridgeError';
    this.code = code;
  }
}

export function isBridgeError(value: unknown): value is BridgeError {
  return value instanceof BridgeError;
}

function bridge(): Bridge {
  if (!window.bridge) {
    throw new BridgeError(
      'NOT_AVAILABLE',
      'Steward cannot reach its core. Start Steward from its desktop app rather than opening this page directly.',
    );
  }
  return window.bridge;
}

/** Calls one contract method; resolves to its value or throws a BridgeError with the core's own words. */
export async function call<M extends Method>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>> {
  const result = await bridge().invoke(method, input);
  if (!result.ok) throw new BridgeError(result.error.code, result.error.message);
  return result.value;
}

export const queryKeys = {
  vaultStatus: ['vault', 'status'] as const,
  appInfo: ['app', 'info'] as const,
  importFormats: ['imports', 'formats'] as const,
  importPreviews: ['imports', 'preview'] as const,
  snapshots: ['snapshots'] as const,
  /** Everything drawn from the identities: list pages, facets, details. Invalidated after an import. */
  inventory: ['inventory'] as const,
  /** Campaigns, their status and items. Invalidated after a launch, a decision, a reassignment or a close. */
  campaigns: ['campaigns'] as const,
  /** The vault's active signing certificate. Invalidated after a create or an import. */
  signer: ['evidence', 'signer'] as const,
};

export function useVaultStatus() {
  return useQuery({ queryKey: queryKeys.vaultStatus, queryFn: () => call('vault.status', {}) });
}

export function useAppInfo() {
  return useQuery({ queryKey: queryKeys.appInfo, queryFn: () => call('app.info', {}), staleTime: Infinity });
}

/** Queries that describe the app and the vault's state, not what is inside the vault. */
const NOT_VAULT_DATA = new Set<string>([queryKeys.vaultStatus.join('/'), queryKeys.appInfo.join('/')]);

/**
 * Stores a status the core answered, so the screen never waits for the event. When the vault is no
 * longer open, or another vault is, every cached answer drawn from the vault is dropped: a locked
 * vault leaves nothing readable behind in the renderer.
 */
export function storeVaultStatus(queryClient: QueryClient, status: VaultStatus): void {
  const previous = queryClient.getQueryData<VaultStatus>(queryKeys.vaultStatus);
  queryClient.setQueryData(queryKeys.vaultStatus, status);
  if (status.state !== 'unlocked' || (previous !== undefined && previous.folder !== status.folder)) {
    queryClient.removeQueries({ predicate: (query) => !NOT_VAULT_DATA.has(query.queryKey.join('/')) });
  }
}

/**
 * Keeps the vault status current when the core changes it on its own (a lock from the menu, another
 * folder chosen): the core's `vault.changed` event replaces the cached status. And when the vault
 * comes back from long work in the worker (`vault.busy` with no work), every screen that was told
 * BUSY meanwhile asks again, so "available again when it is done" needs no click.
 */
export function useCoreEvents(): void {
  const queryClient = useQueryClient();
  useEffect(() => {
    if (!window.bridge) return undefined;
    return window.bridge.onEvent((event) => {
      if (event.name === 'vault.busy') {
        const parsed = eventSchemas['vault.busy'].safeParse(event.payload);
        if (parsed.success && parsed.data.work === null) {
          void queryClient.invalidateQueries({
            predicate: (query) => isBridgeError(query.state.error) && query.state.error.code === 'BUSY',
          });
        }
        return;
      }
      if (event.name !== 'vault.changed') return;
      const parsed = eventSchemas['vault.changed'].safeParse(event.payload);
      if (parsed.success) storeVaultStatus(queryClient, parsed.data);
      else void queryClient.invalidateQueries({ queryKey: queryKeys.vaultStatus });
    });
  }, [queryClient]);
}

/**
 * Calls `listener` with each valid `name` event from the core while the calling component is mounted.
 * Payloads are checked against the event's schema: a malformed one is dropped, not trusted.
 */
export function useCoreEvent<E extends EventName>(
  name: E,
  listener: (payload: EventPayload<E>) => void,
): void {
  const onEvent = useEffectEvent(listener);
  useEffect(() => {
    if (!window.bridge) return undefined;
    return window.bridge.onEvent((event) => {
      if (event.name !== name) return;
      const parsed = eventSchemas[name].safeParse(event.payload);
      if (parsed.success) onEvent(parsed.data as EventPayload<E>);
    });
  }, [name]);
}
