import { describe, expect, it, vi } from 'vitest';
import {
  denyEveryDevicePermission,
  denyEveryPermissionCheck,
  denyEveryPermissionRequest,
} from '../../../electron/shell/permissions';

type RequestArgs = Parameters<typeof denyEveryPermissionRequest>;
type CheckArgs = Parameters<typeof denyEveryPermissionCheck>;

const permissions = [
  'media',
  'geolocation',
  'notifications',
  'clipboard-read',
  'clipboard-sanitized-write',
  'fullscreen',
  'openExternal',
  'hid',
  'serial',
  'usb',
  'unknown',
];

describe('permission handlers', () => {
  it.each(permissions)('refuses a request for %s, even from the app origin', (permission) => {
    const callback = vi.fn();
    denyEveryPermissionRequest({} as RequestArgs[0], permission as RequestArgs[1], callback, {
      requestingUrl: 'app://steward/index.html',
      isMainFrame: true,
    } as RequestArgs[3]);
    expect(callback).toHaveBeenCalledExactlyOnceWith(false);
  });

  it.each(permissions)('answers a check for %s with false', (permission) => {
    expect(
      denyEveryPermissionCheck(null, permission as CheckArgs[1], 'app://steward', {
        requestingUrl: 'app://steward/index.html',
        isMainFrame: true,
      } as CheckArgs[3]),
    ).toBe(false);
  });

  it('grants no device', () => {
    expect(denyEveryDevicePermission()).toBe(false);
  });
});
