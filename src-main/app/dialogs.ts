// The File dialogs, Electron's native ones. They run here in the main process and the paths they
// return stay here: the renderer only ever learns a file's name.
import { dialog, type BrowserWindow } from 'electron';
import type { Dialogs } from '../server/api-server';

const LAB_FILTERS = [
  { name: 'Lab files', extensions: ['yaml', 'yml', 'json'] },
  { name: 'All files', extensions: ['*'] },
];
const CAPTURE_FILTERS = [
  { name: 'pcapng', extensions: ['pcapng'] },
  { name: 'pcap', extensions: ['pcap'] },
];

export function electronDialogs(window: () => BrowserWindow | null): Dialogs {
  const open = async (options: Electron.OpenDialogOptions) => {
    const w = window();
    const r = w ? await dialog.showOpenDialog(w, options) : await dialog.showOpenDialog(options);
    return r.canceled || r.filePaths.length === 0 ? null : r.filePaths[0];
  };
  const save = async (options: Electron.SaveDialogOptions) => {
    const w = window();
    const r = w ? await dialog.showSaveDialog(w, options) : await dialog.showSaveDialog(options);
    return r.canceled || !r.filePath ? null : r.filePath;
  };
  return {
    openLab: () => open({ title: 'Open lab', properties: ['openFile'], filters: LAB_FILTERS }),
    openCapture: () =>
      open({
        title: 'Import capture',
        properties: ['openFile'],
        filters: [
          { name: 'Captures', extensions: ['pcapng', 'pcap', 'cap'] },
          ...LAB_FILTERS.slice(1),
        ],
      }),
    saveLab: (defaultName) =>
      save({ title: 'Save lab', defaultPath: defaultName, filters: LAB_FILTERS }),
    saveCapture: (defaultName) =>
      save({
        title: 'Export capture',
        defaultPath: defaultName,
        filters: defaultName.endsWith('.pcap') ? [...CAPTURE_FILTERS].reverse() : CAPTURE_FILTERS,
      }),
  };
}
