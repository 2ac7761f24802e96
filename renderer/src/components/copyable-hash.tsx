import { Check, Copy } from 'lucide-react';
import { useEffect, useRef, useState } from 'react';

/**
 * Puts `text` on the clipboard. The async Clipboard API needs a secure context; where the page has
 * none, the text is selected and copied the old way, which works from a click.
 */
export async function copyText(text: string, fallbackTarget: HTMLElement | null): Promise<boolean> {
  if (navigator.clipboard && window.isSecureContext) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch {
      // Fall through to selecting the text, so the user can at least press Ctrl+C.
    }
  }
  if (!fallbackTarget) return false;
  const range = document.createRange();
  range.selectNodeContents(fallbackTarget);
  const selection = window.getSelection();
  selection?.removeAllRanges();
  selection?.addRange(range);
  return document.execCommand('copy');
}

/** A SHA-256 (or any identifier) in monospace that can be selected whole or copied with one click. */
export function CopyableHash({ value, label }: { value: string; label: string }) {
  const textRef = useRef<HTMLElement>(null);
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    if (!copied) return undefined;
    const timer = window.setTimeout(() => setCopied(false), 1600);
    return () => window.clearTimeout(timer);
  }, [copied]);

  return (
    <span className="hash">
      <code ref={textRef} className="hash-text">
        {value}
      </code>
      <button
        type="button"
        className="icon-button"
        aria-label={copied ? `Copied ${label}` : `Copy ${label}`}
        title={copied ? 'Copied' : 'Copy'}
        onClick={() => {
          void copyText(value, textRef.current).then(setCopied);
        }}
      >
        {copied ? <Check aria-hidden="true" /> : <Copy aria-hidden="true" />}
      </button>
    </span>
  );
}
