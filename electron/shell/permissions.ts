import type { Session } from 'electron';

type RequestHandler = Parameters<Session['setPermissionRequestHandler']>[0] & {};
type CheckHandler = Parameters<Session['setPermissionCheckHandler']>[0] & {};

/**
 * Steward needs no web permission (camera, notifications, clipboard-read, geolocation, HID, ...):
 * every request is refused, whoever asks.
 */
export const denyEveryPermissionRequest: RequestHandler = (_webContents, _permission, callback) => {
  callback(false);
};

/** Synchronous permission checks (e.g. `navigator.permissions.query`) answer "not granted" too. */
export const denyEveryPermissionCheck: CheckHandler = () => false;

/** WebHID, WebUSB and Web Serial device access: none. */
export const denyEveryDevicePermission = (): boolean => false;
