import { useRef, useState, type DragEvent } from 'react';

function carriesFiles(event: DragEvent): boolean {
  return Array.from(event.dataTransfer?.types ?? []).includes('Files');
}

/**
 * Lets an element accept dropped files: it cancels the browser's own handling (which would open the
 * file in the window) and says while files are over it. The page never reads the files: the preload
 * does, and the core announces their paths in an `imports.filesDropped` event.
 */
export function useDropTarget(enabled: boolean) {
  const [over, setOver] = useState(false);
  // dragenter and dragleave fire for every child crossed; count them to know when the pointer really left.
  const depth = useRef(0);

  const handlers = {
    onDragEnter(event: DragEvent) {
      if (!enabled || !carriesFiles(event)) return;
      event.preventDefault();
      depth.current += 1;
      setOver(true);
    },
    onDragOver(event: DragEvent) {
      if (!enabled || !carriesFiles(event)) return;
      event.preventDefault();
      event.dataTransfer.dropEffect = 'copy';
    },
    onDragLeave(event: DragEvent) {
      if (!enabled || !carriesFiles(event)) return;
      depth.current = Math.max(0, depth.current - 1);
      if (depth.current === 0) setOver(false);
    },
    onDrop(event: DragEvent) {
      if (!carriesFiles(event)) return;
      event.preventDefault();
      depth.current = 0;
      setOver(false);
    },
  };
  return { over: enabled && over, handlers };
}
