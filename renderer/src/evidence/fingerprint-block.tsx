import { Check, Copy } from 'lucide-react';
import { useEffect, useRef, useState } from 'react';
import { Button } from '../components/button';
import { copyText } from '../components/copyable-hash';
import { fingerprintGroups } from './evidence-format';

/**
 * A certificate fingerprint big enough to read aloud and compare: eight groups of four bytes, and a
 * button that copies it exactly as `steward verify --trust` takes it.
 */
export function FingerprintBlock({ fingerprint }: { fingerprint: string }) {
  const copyRef = useRef<HTMLSpanElement>(null);
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    if (!copied) return undefined;
    const timer = window.setTimeout(() => setCopied(false), 1800);
    return () => window.clearTimeout(timer);
  }, [copied]);

  return (
    <div className="fingerprint">
      <code className="fingerprint-groups" aria-label={`SHA-256 fingerprint ${fingerprint}`}>
        {fingerprintGroups(fingerprint).map((group, index) => (
          <span key={index} className="fingerprint-group" aria-hidden="true">
            {group}
          </span>
        ))}
      </code>
      {/* The exact text copied, kept out of sight for the selection fallback. */}
      <span ref={copyRef} className="fingerprint-copy-source">
        {fingerprint}
      </span>
      <Button
        icon={copied ? Check : Copy}
        onClick={() => {
          void copyText(fingerprint, copyRef.current).then(setCopied);
        }}
      >
        {copied ? 'Copied' : 'Copy fingerprint'}
      </Button>
    </div>
  );
}
