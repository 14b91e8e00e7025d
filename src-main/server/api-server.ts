// The API's one implementation on the host side, shared by Electron's main process and the web
// host: it validates every request against the contract (ipc/ops.ts), answers the operations
// that involve files and dialogs itself (so paths stay here), and passes the rest to the engine.
// Transports only move `{ id, op, args }` in and replies and events out.
import { basename, dirname, extname, join } from 'node:path';
import { apiError } from '../ipc/errors';
import { writeFileAtomic } from '../files/atomic-file';
import { FileReadError, readFileBounded } from '../files/bounded-read';
import type { EventName } from '../ipc/events';
import { MAX_IMPORT_FILE_BYTES, MAX_LAB_TEXT, type OpParsedArgs, type OpResult } from '../ipc/ops';
import {
  ApiError,
  errorReply,
  okReply,
  parseRequest,
  type ParsedRequest,
  type Reply,
  type RequestId,
} from '../ipc/protocol';
import type { ExportResult, FileResult } from '../ipc/views';
import type { BuiltinLabs } from './builtin-labs';
import { readDrivers } from './driver-files';
import { EngineCallError, type EngineClient } from './client';
import { isPassthrough } from '../engine/engine-ops';
import type { RecentFiles } from './recent-files';

/** File dialogs, where the host has them (Electron). They return a path, or null if cancelled. */
export interface Dialogs {
  openLab(): Promise<string | null>;
  saveLab(defaultName: string): Promise<string | null>;
  saveCapture(defaultName: string): Promise<string | null>;
  openCapture(): Promise<string | null>;
}

export interface ApiServerOptions {
  host: 'electron' | 'web';
  version: string;
  engine: EngineClient;
  builtins: BuiltinLabs;
  recent: RecentFiles;
  /** Absent in a browser: saving and exporting then offer the file as a download. */
  dialogs?: Dialogs;
}

export type EventListener = (event: EventName, data: unknown) => void;

export class ApiServer {
  /** The file the current lab was loaded from or saved to (null: none, or a built-in lab). */
  private currentPath: string | null = null;
  /** The lab's name and whether it has unsaved changes, as the engine last said. */
  private labNow = { name: '', unsaved: false };

  constructor(private readonly o: ApiServerOptions) {
    o.engine.onEvent((event, data) => {
      if (event === 'lab') {
        const view = data as { name: string; fileName: string; unsaved: boolean };
        this.labNow = { name: view.name || view.fileName || 'untitled', unsaved: view.unsaved };
      } else if (event === 'unsaved') {
        this.labNow = { ...this.labNow, unsaved: (data as { unsaved: boolean }).unsaved };
      }
    });
  }

  /** The lab's name, and whether closing it now would lose changes (Electron asks first). */
  get lab(): { name: string; unsaved: boolean } {
    return this.labNow;
  }

  /** Answers one raw request; never throws. */
  async handle(raw: unknown): Promise<Reply> {
    let id: RequestId | null = null;
    try {
      const parsed = parseRequest(raw);
      if (!parsed.ok) return parsed.reply;
      id = parsed.request.id;
      return okReply(id, await this.run(parsed.request));
    } catch (e) {
      if (e instanceof ApiError) return errorReply(id, e.toBody());
      if (e instanceof EngineCallError) return errorReply(id, e.body);
      return errorReply(id, {
        code: 'internal',
        message: `internal error: ${(e as Error).message}`,
      });
    }
  }

  /** The engine's events, for the transport to push to its UI. */
  onEvent(listener: EventListener): () => void {
    return this.o.engine.onEvent((event, data) => listener(event as EventName, data));
  }

  /** Loads a lab file by path (the File menu, and reopening the last lab on start). */
  async loadPath(path: string): Promise<OpResult<'lab.load'>> {
    let text: string;
    try {
      text = readFileBounded(path, MAX_LAB_TEXT, 'lab file', basename(path)).toString('utf8');
    } catch (e) {
      throw apiError('file', `could not read ${fsReason(e, path)}`);
    }
    const fileName = basename(path);
    const drivers = readDrivers(text, fileName, path, this.o.builtins.driversDir);
    const view = await this.o.engine.call('lab.load', { text, fileName, drivers });
    this.currentPath = path;
    this.o.recent.add(path);
    return view;
  }

  /** Saves through the dialogs (or as a download): the File menu's Save and Save As. */
  saveLab(args: OpParsedArgs<'lab.save'>): Promise<FileResult> {
    return this.save(args);
  }

  /** Imports a capture file by path (the File menu). */
  async importPath(path: string): Promise<OpResult<'capture.import'>> {
    let bytes: Buffer;
    try {
      bytes = readFileBounded(path, MAX_IMPORT_FILE_BYTES, 'capture to import', basename(path));
    } catch (e) {
      throw apiError('file', `could not read ${fsReason(e, path)}`);
    }
    return this.o.engine.call('capture.load', {
      bytes: new Uint8Array(bytes),
      fileName: basename(path),
    });
  }

  exportCapture(format: 'pcap' | 'pcapng'): Promise<ExportResult> {
    return this.export({ format, frames: 'all' });
  }

  private async run(req: ParsedRequest): Promise<unknown> {
    switch (req.op) {
      case 'app.info':
        return {
          version: this.o.version,
          host: this.o.host,
          dialogs: this.o.dialogs !== undefined,
        };
      case 'lab.load':
        return this.load(req.args);
      case 'lab.open': {
        const path = await this.dialogs().openLab();
        return path === null ? { cancelled: true } : this.loadPath(path);
      }
      case 'lab.builtins':
        return this.o.builtins.list();
      case 'lab.recent':
        return this.o.recent.list();
      case 'lab.save':
        return this.save(req.args);
      case 'lab.downloaded':
        return this.o.engine.call('lab.saved', { revision: req.args.revision });
      case 'capture.export':
        return this.export(req.args);
      case 'capture.import':
        return this.o.engine.call('capture.load', {
          bytes: new Uint8Array(Buffer.from(req.args.base64, 'base64')),
          fileName: req.args.fileName,
        });
      case 'capture.open': {
        const path = await this.dialogs().openCapture();
        return path === null ? { cancelled: true } : this.importPath(path);
      }
      case 'driver.save':
        return this.saveDriver(req.args);
      case 'lab.new': {
        const view = await this.o.engine.call('lab.new', req.args);
        this.currentPath = null;
        return view;
      }
    }
    if (isPassthrough(req.op)) return this.o.engine.call(req.op, req.args as never);
    throw apiError('unknown-op', `op "${req.op}" is not implemented`, 'op');
  }

  private async load(args: OpParsedArgs<'lab.load'>): Promise<OpResult<'lab.load'>> {
    if ('text' in args) {
      const drivers = readDrivers(args.text, args.fileName, null, this.o.builtins.driversDir);
      const view = await this.o.engine.call('lab.load', { ...args, drivers });
      this.currentPath = null; // the UI read it: we do not know where it lives
      return view;
    }
    if ('builtin' in args) {
      const lab = this.o.builtins.read(args.builtin);
      if (!lab) {
        const ids = this.o.builtins
          .list()
          .map((b) => b.id)
          .join(', ');
        throw apiError(
          'not-found',
          `no built-in lab "${args.builtin}" (there are: ${ids})`,
          'args.builtin',
        );
      }
      // A driver exercise's starter lies beside its lab file.
      const drivers = readDrivers(
        lab.text,
        lab.fileName,
        this.o.builtins.pathOf(lab.fileName),
        this.o.builtins.driversDir,
      );
      const view = await this.o.engine.call('lab.load', { ...lab, drivers });
      this.currentPath = null; // saving a built-in lab asks where, never overwrites resources/
      return view;
    }
    const path = this.o.recent.pathOf(args.recent);
    if (path === null)
      throw apiError('not-found', 'unknown or expired recent-file token', 'args.recent');
    return this.loadPath(path);
  }

  private async save(args: OpParsedArgs<'lab.save'>): Promise<FileResult> {
    const format =
      args.format ?? (this.currentPath && extname(this.currentPath) === '.json' ? 'json' : 'yaml');
    const { text, name, revision } = await this.o.engine.call('lab.text', { format });
    if (!this.o.dialogs) {
      // The browser is handed the file: the lab counts as saved once the page says the browser
      // has it (lab.downloaded), not when it is sent: a connection lost on the way saves nothing.
      return {
        download: {
          fileName: name,
          mime: format === 'json' ? 'application/json' : 'application/yaml',
          base64: Buffer.from(text, 'utf8').toString('base64'),
          revision,
        },
      };
    }
    const path =
      !args.as && this.currentPath !== null ? this.currentPath : await this.o.dialogs.saveLab(name);
    if (path === null) return { cancelled: true };
    try {
      writeFileAtomic(path, text);
    } catch (e) {
      throw apiError('file', `could not write ${fsReason(e, path)}`);
    }
    await this.o.engine.call('lab.saved', { revision });
    this.currentPath = path;
    this.o.recent.add(path);
    return { saved: basename(path) };
  }

  /**
   * Writes a driver's source beside the lab file that names it (a lab opened from a file, in a
   * host with files); otherwise hands it back as a download: a built-in lab's files are the
   * app's own, and a browser has no path to write to.
   */
  private async saveDriver(args: OpParsedArgs<'driver.save'>): Promise<OpResult<'driver.save'>> {
    const { file } = await this.o.engine.call('driver.get', { host: args.host, dev: args.dev });
    if (!this.o.dialogs || this.currentPath === null) {
      return { saved: false, fileName: basename(file), text: args.text };
    }
    // The lab file names a file beside it, never a path elsewhere.
    if (basename(file) !== file)
      throw apiError('bad-request', `driver file "${file}" is not a plain file name`);
    const path = join(dirname(this.currentPath), file);
    try {
      writeFileAtomic(path, args.text);
    } catch (e) {
      throw apiError('file', `could not write ${fsReason(e, path)}`);
    }
    return { saved: true, file };
  }

  private async export(args: OpParsedArgs<'capture.export'>): Promise<ExportResult> {
    const { format, frames, no } = args;
    // Classic pcap has no field for the capture point: a frame seen at two points would be in
    // the file twice, with nothing to tell them apart. One file per point, as tcpdump would.
    // One point asked for (a segment's capture): that point's file alone.
    const points =
      format === 'pcap' && frames !== 'selected' && args.point === undefined
        ? (await this.o.engine.call('stats.get', {})).capture.points
        : [];
    const each: (string | undefined)[] = points.length > 1 ? points : [args.point];
    if (!this.o.dialogs) {
      const files = [];
      for (const point of each) {
        const r = await this.o.engine.call('capture.bytes', { format, frames, no, point });
        files.push({ ...r, point });
      }
      // A point with none of the frames asked for gives no file (unless none has any).
      const kept = files.filter((f) => f.frames > 0);
      const downloads = (kept.length > 0 ? kept : files.slice(0, 1)).map((f) => ({
        fileName: f.name,
        mime: 'application/vnd.tcpdump.pcap',
        base64: Buffer.from(f.bytes.buffer, f.bytes.byteOffset, f.bytes.byteLength).toString(
          'base64',
        ),
      }));
      return downloads.length === 1 ? { download: downloads[0] } : { downloads };
    }
    const stem = this.currentPath
      ? basename(this.currentPath, extname(this.currentPath))
      : 'capture';
    const only = args.point === undefined ? '' : `-${args.point.replace(/[^A-Za-z0-9_.-]/g, '-')}`;
    const path = await this.o.dialogs.saveCapture(`${stem}${only}.${format}`);
    if (path === null) return { cancelled: true };
    const saved: string[] = [];
    for (const point of each) {
      // One file per point: beside the chosen one, the point's name before the extension.
      const ext = extname(path);
      const file =
        point === undefined || each.length === 1
          ? path
          : `${path.slice(0, path.length - ext.length)}-${point.replace(/[^A-Za-z0-9_.-]/g, '-')}${ext}`;
      try {
        await this.o.engine.call('capture.write', { format, path: file, frames, no, point });
      } catch (e) {
        // The path came from the dialog, not from a field of the UI's request.
        if (e instanceof EngineCallError) throw new ApiError(e.body);
        throw e;
      }
      saved.push(basename(file));
    }
    return { saved: saved.join(', ') };
  }

  private dialogs(): Dialogs {
    if (!this.o.dialogs)
      throw apiError(
        'unknown-op',
        "this host has no file dialogs: load the file's text with lab.load",
        'op',
      );
    return this.o.dialogs;
  }
}

/**
 * Why a file could not be read or written, naming it by its name only: a bounded read's own
 * message (it says the name), else the file system's code (EACCES), which names no temporary file.
 */
function fsReason(e: unknown, path: string): string {
  if (e instanceof FileReadError) return e.message;
  return `${basename(path)}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`;
}
