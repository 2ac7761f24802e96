import type { Method, MethodInput, MethodOutput } from './contract';
import type { CoreEvent } from './events';
import type { Result } from './result';

/**
 * What the preload exposes as `window.bridge`, and what Playwright wires to a real core in tests.
 * Nothing else crosses from the renderer to the core.
 */
export interface Bridge {
  invoke<M extends Method>(method: M, input: MethodInput<M>): Promise<Result<MethodOutput<M>>>;
  /** Subscribes to core events; returns the unsubscribe function. */
  onEvent(listener: (event: CoreEvent) => void): () => void;
}
