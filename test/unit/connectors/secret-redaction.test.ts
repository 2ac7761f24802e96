import { describe, expect, it } from 'vitest';
import { maskSecret, redactSecrets } from '../../../electron/core/connectors/secret-redaction';

describe('redactSecrets', () => {
  const token = 'ghp_abcdefghijklmnopqrstuvwxyz012345';

  it('replaces every occurrence of a secret, raw, URL-encoded and Base64', () => {
    const secret = 'p@ss/word+with=chars';
    const text = `sent ${secret}, then ${encodeURIComponent(secret)}, then Basic ${Buffer.from(secret).toString('base64')}`;
    const redacted = redactSecrets(text, { clientSecret: secret });
    expect(redacted).toBe('sent [redacted], then [redacted], then Basic [redacted]');
  });

  it('finds the tokens and keys inside a kubeconfig, not only the whole file', () => {
    const kubeconfig = [
      'users:',
      '- name: auditor',
      '  user:',
      '    token: eyJhbGciOiJSUzI1NiJ9.k8s-token-value',
      '    client-key-data: LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQ==',
    ].join('\n');
    const message =
      'Unauthorized: token eyJhbGciOiJSUzI1NiJ9.k8s-token-value rejected; key LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQ==';
    const redacted = redactSecrets(message, { kubeconfig });
    expect(redacted).not.toContain('k8s-token-value');
    expect(redacted).not.toContain('LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQ==');
    expect(redacted).toContain('Unauthorized: token [redacted] rejected');
  });

  it('leaves text without a secret alone and ignores values too short to hunt for', () => {
    expect(redactSecrets('page 3 of service principals', { token, region: 'eu' })).toBe(
      'page 3 of service principals',
    );
  });
});

describe('maskSecret', () => {
  it('shows a kind prefix and the last four characters of a long secret, nothing of a short one', () => {
    expect(maskSecret('ghp_abcdefghijklmnopqrstuvwxyz019f2a')).toBe('ghp_…9f2a');
    expect(maskSecret('AKIAIOSFODNN7EXAMPLE')).toBe('AKIA…MPLE');
    expect(maskSecret('wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY')).toBe('…EKEY');
    expect(maskSecret('short-secret')).toBe('••••');
    expect(maskSecret('apiVersion: v1\nusers: []\n')).toBe('•••• (25 characters)');
  });
});
