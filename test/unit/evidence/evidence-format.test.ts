import { describe, expect, it } from 'vitest';
import {
  fileName,
  fingerprintGroups,
  folderOf,
  parseTrustedFingerprints,
} from '../../../renderer/src/evidence/evidence-format';

const FINGERPRINT =
  '3A:7F:0C:91:5E:22:B4:68:D1:09:AF:4C:E3:77:12:5B:90:C6:2D:8E:41:F3:A0:6B:57:1C:E9:84:2F:D0:B3:65';

describe('evidence page formatting', () => {
  it('groups a SHA-256 fingerprint in eight groups of four bytes that join back to it', () => {
    const groups = fingerprintGroups(FINGERPRINT);
    expect(groups).toHaveLength(8);
    expect(groups[0]).toBe('3A:7F:0C:91');
    expect(groups.join(':')).toBe(FINGERPRINT);
    expect(fingerprintGroups('not-a-fingerprint')).toEqual(['not-a-fingerprint']);
  });

  it('reads trusted fingerprints one per line or separated by commas, spaces or semicolons', () => {
    const bare = FINGERPRINT.replaceAll(':', '').toLowerCase();
    expect(parseTrustedFingerprints(` ${FINGERPRINT}\n\n${bare}, AB:CD ;EF  `)).toEqual([
      FINGERPRINT,
      bare,
      'AB:CD',
      'EF',
    ]);
    expect(parseTrustedFingerprints('  \n ')).toEqual([]);
  });

  it('splits a path into the file name and its folder, with either separator', () => {
    expect(fileName('/home/dana/evidence/q4.pdf')).toBe('q4.pdf');
    expect(folderOf('/home/dana/evidence/q4.pdf')).toBe('/home/dana/evidence');
    expect(fileName('C:\\Users\\dana\\q4.pdf')).toBe('q4.pdf');
    expect(folderOf('C:\\Users\\dana\\q4.pdf')).toBe('C:\\Users\\dana');
    expect(folderOf('q4.pdf')).toBe('');
  });
});
