// The API that the preload script exposes to the renderer as `window.netlab`.
//
// This is the one contract between the user interface and the rest of the app. It is tiny for
// now; the lab engine's calls will be added here. The renderer imports this file as a type only
// (`import type`), so no main-process code ever ends up in the renderer bundle.

export interface NetlabApi {
  /** The app's version, from package.json. */
  readonly version: string;
  /** Where the renderer runs: 'electron' here; a browser without this API reports 'web'. */
  readonly host: 'electron';
}
