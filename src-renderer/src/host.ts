// Which host the renderer runs in. Inside Electron the preload script provides `window.netlab`;
// in a plain browser (the web host, or a test) that object is absent.
import type { NetlabApi } from '../../src-main/ipc/api';

declare global {
  interface Window {
    /** Present only inside Electron; see src-main/app/preload.ts. */
    netlab?: NetlabApi;
  }
}

export interface HostInfo {
  host: 'electron' | 'web';
  version: string | null;
}

export function describeHost(api: NetlabApi | undefined): HostInfo {
  return api ? { host: api.host, version: api.version } : { host: 'web', version: null };
}
