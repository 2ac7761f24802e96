import type { Method, MethodOutput } from '../../shared/api/contract';
import type { Core } from '../../electron/core/core';

/** Calls a method through the core's dispatch, as the window does, and fails the test on an error. */
export async function dispatchOrThrow<M extends Method>(
  core: Core,
  method: M,
  input: unknown,
): Promise<MethodOutput<M>> {
  const result = await core.dispatch(method, input);
  if (!result.ok) throw new Error(`${method}: ${result.error.code} ${result.error.message}`);
  return result.value;
}
