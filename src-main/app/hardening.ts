// Electron's security checklist, the parts that are settings: no web permission is ever granted
// (the lab needs no camera, notifications, geolocation…), and the renderer's dev-server URL is
// honoured only when running from the repository, never in a packaged app, where anyone who can
// set an environment variable would otherwise make the window load their page with the API.

/** The parts of Electron's Session this file sets (Electron's own type satisfies it). */
export interface PermissionSession {
  setPermissionRequestHandler(
    handler: (
      webContents: unknown,
      permission: string,
      callback: (granted: boolean) => void,
    ) => void,
  ): void;
  setPermissionCheckHandler(handler: (...args: unknown[]) => boolean): void;
}

/** Denies every permission request and check, for every page of the session. */
export function denyAllPermissions(session: PermissionSession): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}

/** The dev server to load the renderer from: `electron-vite dev`'s, and only when not packaged. */
export function devServerUrl(isPackaged: boolean, env: NodeJS.ProcessEnv): string | undefined {
  if (isPackaged) return undefined;
  const url = env['ELECTRON_RENDERER_URL'];
  // electron-vite serves on loopback; anything else is not ours.
  return url !== undefined && /^http:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?(\/|$)/.test(url)
    ? url
    : undefined;
}
