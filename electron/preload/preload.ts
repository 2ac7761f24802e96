// Runs sandboxed, with context isolation, before the renderer's own scripts. It hands the page exactly
// two functions and nothing of Electron: no ipcRenderer, no event objects, no Node.
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import type { Bridge } from '../../shared/api/bridge';
import type { CoreEvent } from '../../shared/api/events';

// Kept in step with electron/shell/ipc-invoke.ts; not imported, so this bundle stays free of main-process code.
const INVOKE_CHANNEL = 'app:invoke';
const EVENT_CHANNEL = 'app:event';

const bridge: Bridge = {
  invoke: (method, input) => ipcRenderer.invoke(INVOKE_CHANNEL, method, input),
  onEvent(listener) {
    // The IpcRendererEvent carries `sender` (ipcRenderer itself): it must never reach the page.
    const forward = (_event: IpcRendererEvent, payload: CoreEvent) => listener(payload);
    ipcRenderer.on(EVENT_CHANNEL, forward);
    return () => {
      ipcRenderer.removeListener(EVENT_CHANNEL, forward);
    };
  },
};

contextBridge.exposeInMainWorld('bridge', bridge);

// A dropped file reaches the page as a File without a path, and the page must not get Electron's
// webUtils. So the preload reads the paths itself and hands them to the core, which tells the page
// in an `imports.filesDropped` event. The page still handles the drop (and prevents navigation).
if (typeof window !== 'undefined') {
  window.addEventListener(
    'drop',
    (event: DragEvent) => {
      const paths = Array.from(event.dataTransfer?.files ?? [])
        .map((file) => webUtils.getPathForFile(file))
        .filter((path) => path.length > 0);
      if (paths.length > 0)
        void ipcRenderer.invoke(INVOKE_CHANNEL, 'imports.announceDroppedFiles', { paths });
    },
    { capture: true },
  );
}
