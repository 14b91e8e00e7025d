import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { denyAllPermissions, devServerUrl, type PermissionSession } from './hardening';

describe('Electron hardening', () => {
  it('denies every permission a page asks for or checks', () => {
    let request: Parameters<PermissionSession['setPermissionRequestHandler']>[0] | null = null;
    let check: ((...args: unknown[]) => boolean) | null = null;
    denyAllPermissions({
      setPermissionRequestHandler: (h) => (request = h),
      setPermissionCheckHandler: (h) => (check = h),
    });
    for (const permission of ['media', 'notifications', 'geolocation', 'clipboard-read']) {
      let granted: boolean | null = null;
      request!(null, permission, (g) => (granted = g));
      expect(granted).toBe(false);
      expect(check!(null, permission, 'http://127.0.0.1/')).toBe(false);
    }
  });

  it('loads a dev server only unpackaged, and only on loopback', () => {
    const env = { ELECTRON_RENDERER_URL: 'http://localhost:5173/' };
    expect(devServerUrl(false, env)).toBe('http://localhost:5173/');
    expect(devServerUrl(true, env)).toBeUndefined();
    expect(devServerUrl(false, { ELECTRON_RENDERER_URL: 'https://evil.example/' })).toBeUndefined();
    expect(devServerUrl(false, { ELECTRON_RENDERER_URL: 'http://127.0.0.1:5174' })).toBe(
      'http://127.0.0.1:5174',
    );
    expect(devServerUrl(false, {})).toBeUndefined();
  });

  it('packages with the fuses that close Node and debugging to whoever starts the app', () => {
    const pkg = JSON.parse(
      readFileSync(join(import.meta.dirname, '..', '..', 'package.json'), 'utf8'),
    ) as { build: { asar?: boolean; electronFuses?: Record<string, boolean> } };
    expect(pkg.build.asar).not.toBe(false);
    expect(pkg.build.electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      loadBrowserProcessSpecificV8Snapshot: false,
      grantFileProtocolExtraPrivileges: false,
    });
  });
});
