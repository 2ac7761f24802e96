import { useCallback, useEffect, useState, type RefObject } from 'react';

interface FocusRequest {
  target: RefObject<HTMLInputElement | null>;
  select: boolean;
}

/**
 * Moves focus to a field after the next render, once its error message and aria-describedby are in the
 * DOM, so a screen reader announces the field together with what is wrong with it.
 */
export function useFocusRequest(): (
  target: RefObject<HTMLInputElement | null>,
  options?: { select?: boolean },
) => void {
  const [request, setRequest] = useState<FocusRequest | null>(null);
  useEffect(() => {
    if (!request) return;
    request.target.current?.focus();
    if (request.select) request.target.current?.select();
  }, [request]);
  return useCallback((target, options) => setRequest({ target, select: options?.select ?? false }), []);
}
