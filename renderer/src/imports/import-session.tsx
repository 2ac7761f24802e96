import { useQueryClient } from '@tanstack/react-query';
import { createContext, use, useCallback, useMemo, useReducer, useRef, type ReactNode } from 'react';
import type { SnapshotSummaryRecord } from '../../../shared/api/schemas/inventory';
import type { MappingField } from '../../../shared/domain/mapping-fields';
import { call, isBridgeError, queryKeys, useCoreEvent } from '../bridge-client';

/** What the user set on the preview card; '' for the format means "recognise it". */
export interface ImportOptions {
  format: string;
  source: string;
  sheet: string | null;
}

/**
 * The user's corrections to the proposed column mapping, by column position (null: not in this
 * file), for the header they were made on. Fields not listed keep the proposal.
 */
export interface MappingEdits {
  headerSignature: string;
  fields: Partial<Record<MappingField, number | null>>;
}

export interface ImportProgress {
  done: number;
  /** performance.now() when `done` last moved: the rate is rows over the time they took. */
  at: number;
  /** What the import is doing, in the core's words. */
  label: string;
  /** False once the snapshot is saved: cancelling would undo nothing. */
  cancellable: boolean;
}

export type ImportStep =
  | { kind: 'idle' }
  | { kind: 'preview' }
  | {
      kind: 'running';
      taskId: string;
      startedAt: number;
      progress: ImportProgress | null;
      cancelRequested: boolean;
    }
  | { kind: 'result'; summary: SnapshotSummaryRecord };

/** Why the last attempt ended without a result, shown on the preview it returns to. */
export type ImportOutcome = { kind: 'cancelled' } | { kind: 'failed'; error: unknown } | null;

export interface ImportSessionState {
  paths: string[];
  options: ImportOptions;
  mapping: MappingEdits | null;
  step: ImportStep;
  outcome: ImportOutcome;
}

type Action =
  | { type: 'open'; paths: string[] }
  | { type: 'options'; options: Partial<ImportOptions> }
  | { type: 'mapping'; headerSignature: string; field: MappingField; column: number | null }
  | { type: 'started'; taskId: string; startedAt: number }
  | { type: 'progress'; taskId: string; done: number; at: number; label: string; cancellable: boolean }
  | { type: 'cancelRequested'; taskId: string }
  | { type: 'finished'; taskId: string; summary: SnapshotSummaryRecord }
  | { type: 'stopped'; taskId: string; outcome: Exclude<ImportOutcome, null> }
  | { type: 'reset' };

const INITIAL: ImportSessionState = {
  paths: [],
  options: { format: '', source: '', sheet: null },
  mapping: null,
  step: { kind: 'idle' },
  outcome: null,
};

function reduce(state: ImportSessionState, action: Action): ImportSessionState {
  const running = state.step.kind === 'running' ? state.step : null;
  switch (action.type) {
    case 'open':
      // A running import is never replaced: it holds the vault until it finishes or is cancelled.
      if (running) return state;
      return { ...INITIAL, paths: action.paths, step: { kind: 'preview' } };
    case 'options': {
      const options = { ...state.options, ...action.options };
      // Another format or sheet means other columns: corrections made on the old ones no longer apply.
      const reshaped = options.format !== state.options.format || options.sheet !== state.options.sheet;
      return { ...state, options, mapping: reshaped ? null : state.mapping, outcome: null };
    }
    case 'mapping': {
      const fields = state.mapping?.headerSignature === action.headerSignature ? state.mapping.fields : {};
      return {
        ...state,
        mapping: {
          headerSignature: action.headerSignature,
          fields: { ...fields, [action.field]: action.column },
        },
      };
    }
    case 'started':
      return {
        ...state,
        outcome: null,
        step: {
          kind: 'running',
          taskId: action.taskId,
          startedAt: action.startedAt,
          progress: null,
          cancelRequested: false,
        },
      };
    case 'progress':
      if (running?.taskId !== action.taskId) return state;
      return {
        ...state,
        step: {
          ...running,
          progress: {
            done: action.done,
            at: running.progress?.done === action.done ? running.progress.at : action.at,
            label: action.label,
            cancellable: action.cancellable,
          },
        },
      };
    case 'cancelRequested':
      if (running?.taskId !== action.taskId) return state;
      return { ...state, step: { ...running, cancelRequested: true } };
    case 'finished':
      if (running?.taskId !== action.taskId) return state;
      return { ...state, step: { kind: 'result', summary: action.summary } };
    case 'stopped':
      if (running?.taskId !== action.taskId) return state;
      return { ...state, step: { kind: 'preview' }, outcome: action.outcome };
    case 'reset':
      return running ? state : INITIAL;
  }
}

export interface ImportRequest {
  paths: string[];
  format?: string;
  source?: string;
  sheet?: string;
  mapping?: Partial<Record<MappingField, string>>;
}

interface ImportSession {
  state: ImportSessionState;
  openPaths: (paths: string[]) => void;
  setOptions: (options: Partial<ImportOptions>) => void;
  setMapping: (headerSignature: string, field: MappingField, column: number | null) => void;
  start: (request: ImportRequest) => void;
  cancel: () => void;
  reset: () => void;
}

const ImportSessionContext = createContext<ImportSession | null>(null);

let taskCounter = 0;

/** A task id unique in this window; the page is not a secure context everywhere, so no randomUUID. */
function nextTaskId(): string {
  taskCounter += 1;
  return `import-${Date.now().toString(36)}-${taskCounter}`;
}

/**
 * Holds the Imports page's work above the page itself, so an import keeps its progress and result
 * while the user looks at another page. It lives inside the unlocked frame: locking drops it.
 */
export function ImportSessionProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [state, dispatch] = useReducer(reduce, INITIAL);
  const runningTask = useRef<string | null>(null);

  useCoreEvent('task.progress', (event) => {
    dispatch({
      type: 'progress',
      taskId: event.taskId,
      done: event.done,
      at: performance.now(),
      label: event.label,
      cancellable: event.cancellable ?? true,
    });
  });
  // The preload reads the paths of files dropped on the window; the page only ever sees this event.
  useCoreEvent('imports.filesDropped', (event) => {
    if (event.paths.length > 0) dispatch({ type: 'open', paths: event.paths });
  });

  const start = useCallback(
    (request: ImportRequest) => {
      if (runningTask.current) return;
      const taskId = nextTaskId();
      runningTask.current = taskId;
      dispatch({ type: 'started', taskId, startedAt: performance.now() });
      call('imports.run', { ...request, taskId })
        .then((summary) => {
          dispatch({ type: 'finished', taskId, summary });
          void queryClient.invalidateQueries({ queryKey: queryKeys.inventory });
          void queryClient.invalidateQueries({ queryKey: queryKeys.snapshots });
          // A confirmed mapping is saved by the import: previews must ask again to show it.
          void queryClient.invalidateQueries({ queryKey: queryKeys.importPreviews });
        })
        .catch((error: unknown) => {
          const cancelled = isBridgeError(error) && error.code === 'CANCELLED';
          dispatch({
            type: 'stopped',
            taskId,
            outcome: cancelled ? { kind: 'cancelled' } : { kind: 'failed', error },
          });
        })
        .finally(() => {
          runningTask.current = null;
        });
    },
    [queryClient],
  );

  const cancel = useCallback(() => {
    const taskId = runningTask.current;
    if (!taskId) return;
    dispatch({ type: 'cancelRequested', taskId });
    // The run itself answers CANCELLED; if it finished first, its result stands. The core only knows
    // the task once it leaves the queue of exclusive work, so an early cancel is repeated until it lands.
    const attempt = (triesLeft: number) => {
      call('imports.cancel', { taskId })
        .then(({ cancelled }) => {
          if (!cancelled && triesLeft > 0 && runningTask.current === taskId)
            window.setTimeout(() => attempt(triesLeft - 1), 250);
        })
        .catch(() => undefined);
    };
    attempt(40);
  }, []);

  const session = useMemo<ImportSession>(
    () => ({
      state,
      openPaths: (paths) => dispatch({ type: 'open', paths }),
      setOptions: (options) => dispatch({ type: 'options', options }),
      setMapping: (headerSignature, field, column) =>
        dispatch({ type: 'mapping', headerSignature, field, column }),
      start,
      cancel,
      reset: () => dispatch({ type: 'reset' }),
    }),
    [state, start, cancel],
  );

  return <ImportSessionContext value={session}>{children}</ImportSessionContext>;
}

export function useImportSession(): ImportSession {
  const session = use(ImportSessionContext);
  if (!session) throw new Error('useImportSession needs an ImportSessionProvider above it.');
  return session;
}
