// The operations of the API: for each, the schema of its arguments and of its result.
//
// This table is the contract. The Electron main process, the web host and the engine's worker
// all validate `args` against it before acting, and the renderer's `NetlabApi.call` is typed
// from it, so a UI cannot even compile a call the engine would not understand.
import { z } from 'zod';
import { MAX_CAPTURE_LIMIT, MIN_CAPTURE_LIMIT } from '../lab/capture/capture-limit';
import { NIC_NAMES } from '../lab/labfile/schema';
import { MAX_BRIDGE_PORTS } from '../lab/labfile/schema/bridges';
import { jsonData } from './json-data';
import {
  captureRowSchema,
  captureStateSchema,
  SORT_COLUMNS,
  errnoReplySchema,
  exerciseCheckSchema,
  exportResultSchema,
  fileResultSchema,
  frameDetailSchema,
  generatorViewSchema,
  interfaceViewSchema,
  labViewSchema,
  portViewSchema,
  runStateSchema,
  shellResultSchema,
  speedSchema,
  statsSchema,
} from './views';
import { frameFollowSchema } from './follow-view';
import { driverRefSchema, driverReloadSchema, driverSourceSchema } from './driver-view';

/** Host and interface names as the lab file allows them (and a little slack for typos to be named). */
const name = z.string().min(1).max(64);
const noArgs = z.strictObject({});

/** Which interface, and as whom: root unless `user` is set (then CAP_NET_ADMIN is missing). */
const iface = { host: name, dev: name, user: z.boolean().optional() };

/** What an interface operation answers: the interface afterwards, or the kernel's refusal. */
const ifaceResult = z.union([
  z.object({ ok: z.literal(true), iface: interfaceViewSchema }),
  errnoReplySchema,
]);

const macText = z.string().regex(/^[0-9a-fA-F]{2}([:-][0-9a-fA-F]{2}){5}$/, {
  error: 'expected a MAC address such as 01:00:5e:01:01:01',
});
const ipv4Text = z.string().regex(/^\d{1,3}(\.\d{1,3}){3}$/, {
  error: 'expected an IPv4 address such as 239.1.1.1',
});

import { MAX_DRIVER_TEXT, MAX_IMPORT_BYTES, MAX_LAB_TEXT } from './limits';
export { MAX_IMPORT_BYTES, MAX_IMPORT_FILE_BYTES, MAX_LAB_TEXT } from './limits';

const importResultSchema = z.object({
  capture: captureStateSchema,
  format: z.enum(['pcap', 'pcapng']),
  /** Frames of other link types than Ethernet, left out. */
  skipped: z.number(),
  /** Where and why a truncated or damaged file stopped being readable ('' when it was whole). */
  warning: z.string(),
});

const builtinInfo = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  /** The lab's exercise, for the start screen and the exercise list (null: a plain lab). */
  exercise: z
    .object({
      title: z.string(),
      summary: z.string(),
      level: z.string(),
      kind: z.string(),
      order: z.number(),
    })
    .nullable(),
});
const recentInfo = z.object({ token: z.string(), name: z.string() });

/**
 * What an operation does, read by the engine (one fact per operation, here beside its schema):
 * - `read` changes nothing, so no statistics event follows it;
 * - `change` changes the lab or the run;
 * - `journal` changes what a student's attempt is graded on: the engine records it in the
 *   attempt's journal and `netlab grade` replays it.
 */
export type OpEffect = 'read' | 'change' | 'journal';

/**
 * Who answers an operation: the engine's worker, exactly as defined here, or the host (the
 * Electron main process or the web host), because it touches files or dialogs; the host turns
 * it into the worker's own operations (engine/engine-ops.ts).
 */
export type OpAnsweredBy = 'worker' | 'host';

export const apiOps = {
  /** Which host the UI talks to, and whether it can show file dialogs (Electron) or not (a browser). */
  'app.info': {
    by: 'host',
    effect: 'read',
    args: noArgs,
    result: z.object({
      version: z.string(),
      host: z.enum(['electron', 'web']),
      dialogs: z.boolean(),
    }),
  },

  // ---- the lab as a whole ----
  /** A fresh lab: one host with one interface. */
  'lab.new': {
    by: 'worker',
    effect: 'change',
    args: z.strictObject({ name: z.string().max(200).optional() }),
    result: labViewSchema,
  },
  /**
   * Load a lab: its text (a file the user picked in the browser), a built-in lab by id, or a
   * recent file by the token `lab.recent` gave. Never a path: paths stay in the main process.
   */
  'lab.load': {
    by: 'host',
    effect: 'change',
    args: z.union([
      z.strictObject({ text: z.string().max(MAX_LAB_TEXT), fileName: z.string().min(1).max(255) }),
      z.strictObject({ builtin: z.string().min(1).max(100) }),
      z.strictObject({ recent: z.string().min(1).max(100) }),
    ]),
    result: labViewSchema,
  },
  /** Show the Open dialog (hosts with dialogs only) and load the chosen file. */
  'lab.open': {
    by: 'host',
    effect: 'change',
    args: noArgs,
    result: z.union([labViewSchema, z.object({ cancelled: z.literal(true) })]),
  },
  'lab.builtins': { by: 'host', effect: 'read', args: noArgs, result: z.array(builtinInfo) },
  'lab.recent': { by: 'host', effect: 'read', args: noArgs, result: z.array(recentInfo) },
  /**
   * Save the lab: to its file (Electron), through a Save dialog (`as`, or a lab without a file),
   * or as a download (the web host).
   */
  'lab.save': {
    by: 'host',
    effect: 'change',
    args: z.strictObject({
      as: z.boolean().optional(),
      format: z.enum(['yaml', 'json']).optional(),
    }),
    result: fileResultSchema,
  },
  /**
   * The browser has the lab file a `lab.save` offered as a download (the web host): the lab
   * counts as saved up to that download's revision from now on, not before.
   */
  'lab.downloaded': {
    by: 'host',
    effect: 'change',
    args: z.strictObject({ revision: z.number().int().min(0) }),
    result: z.object({ unsaved: z.boolean() }),
  },
  'lab.get': { by: 'worker', effect: 'read', args: noArgs, result: labViewSchema },

  // ---- topology: the lab is rebuilt from its edited file form (the clock starts over) ----
  'host.add': {
    by: 'worker',
    effect: 'journal',
    args: z.strictObject({
      name,
      /** Its first card, eth0 (default hash64), with this address if given (`10.0.0.9/24`). */
      nic: z.enum(NIC_NAMES).optional(),
      ip: z.string().max(64).optional(),
      /** The segment its cable goes to: needed when the lab has several. */
      segment: name.optional(),
    }),
    result: labViewSchema,
  },
  'host.remove': {
    by: 'worker',
    effect: 'journal',
    args: z.strictObject({ name }),
    result: labViewSchema,
  },
  'nic.add': {
    by: 'worker',
    effect: 'journal',
    args: z.strictObject({
      host: name,
      /** Default: the first free ethN. */
      name: name.optional(),
      nic: z.enum(NIC_NAMES).optional(),
      ip: z.string().max(64).optional(),
      /** The segment its cable goes to: needed when the lab has several. */
      segment: name.optional(),
    }),
    result: labViewSchema,
  },
  'nic.remove': {
    by: 'worker',
    effect: 'journal',
    args: z.strictObject({ host: name, dev: name }),
    result: labViewSchema,
  },
  /** Moves a card's cable to another segment; a lab of one `segment:` turns into `segments:`. */
  'nic.setSegment': {
    by: 'worker',
    effect: 'journal',
    args: z.strictObject({ host: name, dev: name, segment: name }),
    result: labViewSchema,
  },
  /**
   * A new segment, as a lab file's `segments:` entry (units as text: `100Mbps`, `500ns`); a lab
   * of one `segment:` turns into `segments:`, its segment named `segment`.
   */
  'segment.add': {
    by: 'worker',
    effect: 'journal',
    args: z.strictObject({
      name,
      rate: z.string().min(1).max(32).optional(),
      delay: z.string().min(1).max(32).optional(),
      duplex: z.enum(['half', 'full']).optional(),
    }),
    result: labViewSchema,
  },
  /** Removes a segment no card is on (one with cards is refused, naming them). */
  'segment.remove': {
    by: 'worker',
    effect: 'journal',
    args: z.strictObject({ name }),
    result: labViewSchema,
  },
  /** A Linux bridge in `host` over its cards, as a lab file's `bridges:` entry. */
  'bridge.add': {
    by: 'worker',
    effect: 'journal',
    args: z.strictObject({
      host: name,
      name,
      ports: z.array(name).min(1).max(MAX_BRIDGE_PORTS),
      ip: z.string().max(64).optional(),
      mcastSnooping: z.boolean().optional(),
      querier: z.boolean().optional(),
    }),
    result: labViewSchema,
  },
  'bridge.remove': {
    by: 'worker',
    effect: 'journal',
    args: z.strictObject({ host: name, name }),
    result: labViewSchema,
  },
  /** net.ipv4.ip_forward in the host's lab file `sysctl:` (a router, or not). */
  'host.setForwarding': {
    by: 'worker',
    effect: 'journal',
    args: z.strictObject({ host: name, on: z.boolean() }),
    result: labViewSchema,
  },
  /** A static route, as a lab file's `routes:` entry and `ip route add TO [via GW] [dev DEV]`. */
  'route.add': {
    by: 'worker',
    effect: 'journal',
    args: z.strictObject({
      host: name,
      to: z.string().min(1).max(64),
      via: z.string().min(1).max(64).optional(),
      dev: name.optional(),
      metric: z.number().int().min(0).max(0xffffffff).optional(),
    }),
    result: labViewSchema,
  },
  /** Removes a `routes:` entry, as `ip route del TO [metric N]`. */
  'route.remove': {
    by: 'worker',
    effect: 'journal',
    args: z.strictObject({
      host: name,
      to: z.string().min(1).max(64),
      metric: z.number().int().min(0).max(0xffffffff).optional(),
    }),
    result: labViewSchema,
  },

  // ---- interfaces: every change goes through dev_ioctl, as ifconfig's would ----
  'iface.get': {
    by: 'worker',
    effect: 'read',
    args: z.strictObject({ host: name, dev: name }),
    result: interfaceViewSchema,
  },
  'iface.up': { by: 'worker', effect: 'journal', args: z.strictObject(iface), result: ifaceResult },
  'iface.down': {
    by: 'worker',
    effect: 'journal',
    args: z.strictObject(iface),
    result: ifaceResult,
  },
  'iface.setMac': {
    by: 'worker',
    effect: 'journal',
    args: z.strictObject({ ...iface, mac: macText }),
    result: ifaceResult,
  },
  'iface.setMtu': {
    by: 'worker',
    effect: 'journal',
    args: z.strictObject({ ...iface, mtu: z.number().int().min(0).max(0x7fffffff) }),
    result: ifaceResult,
  },
  'iface.setTxQueueLen': {
    by: 'worker',
    effect: 'journal',
    args: z.strictObject({ ...iface, qlen: z.number().int().min(0).max(0x7fffffff) }),
    result: ifaceResult,
  },
  /** SIOCSIFMAP: the IRQ line and/or I/O base (read-modify-write of the ifmap, as ifconfig does). */
  'iface.setMap': {
    by: 'worker',
    effect: 'journal',
    args: z
      .strictObject({
        ...iface,
        irq: z.number().int().min(0).max(255).optional(),
        io: z.number().int().min(0).max(0xffff).optional(),
      })
      .refine((a) => a.irq !== undefined || a.io !== undefined, {
        error: 'give irq, io or both',
        path: ['irq'],
      }),
    result: ifaceResult,
  },
  'iface.setFlag': {
    by: 'worker',
    effect: 'journal',
    args: z.strictObject({ ...iface, flag: z.enum(['promisc', 'allmulti']), on: z.boolean() }),
    result: ifaceResult,
  },
  /** SIOCADDMULTI / SIOCDELMULTI: a link-layer multicast address, as `ip maddr add` does. */
  'iface.addMulti': {
    by: 'worker',
    effect: 'journal',
    args: z.strictObject({ ...iface, mac: macText }),
    result: ifaceResult,
  },
  'iface.delMulti': {
    by: 'worker',
    effect: 'journal',
    args: z.strictObject({ ...iface, mac: macText }),
    result: ifaceResult,
  },
  /** IP_ADD_MEMBERSHIP / IP_DROP_MEMBERSHIP on a socket the engine holds: IGMP and the filter follow. */
  /**
   * With `port`, the socket is an application's: bound to the port, given SO_RCVBUF `rcvbuf`
   * (the kernel doubles it, up to rmem_max) and reading `readRate` datagrams a second, as a lab
   * file's `join` entry; its results show in the statistics' sinks (`HOST:GROUP:PORT`).
   */
  'iface.join': {
    by: 'worker',
    effect: 'journal',
    args: z
      .strictObject({
        ...iface,
        group: ipv4Text,
        port: z.number().int().min(1).max(65535).optional(),
        rcvbuf: z.number().int().min(0).max(0x7fffffff).optional(),
        readRate: z.number().min(0.001).max(1e9).optional(),
      })
      .refine((a) => a.port !== undefined || (a.rcvbuf === undefined && a.readRate === undefined), {
        error: 'rcvbuf and readRate are for an application: give its port too',
        path: ['port'],
      }),
    result: ifaceResult,
  },
  'iface.leave': {
    by: 'worker',
    effect: 'journal',
    args: z.strictObject({ ...iface, group: ipv4Text }),
    result: ifaceResult,
  },
  /** SIOCDEVPRIVATE + cmd: the driver's private ioctls (lab/drivers/private-ioctl.ts). */
  'iface.ioctl': {
    by: 'worker',
    effect: 'journal',
    args: z.strictObject({
      ...iface,
      cmd: z.number().int().min(0).max(15),
      data: jsonData.optional(),
    }),
    result: z.union([
      z.object({ ok: z.literal(true), data: z.json().nullable() }),
      errnoReplySchema,
    ]),
  },

  // ---- the host's shell ----
  'shell.exec': {
    by: 'worker',
    effect: 'journal',
    args: z.strictObject({ host: name, line: z.string().max(4096) }),
    result: shellResultSchema,
  },
  /** Ctrl-C: interrupts the host's running jobs (ping). */
  'shell.interrupt': {
    by: 'worker',
    effect: 'journal',
    args: z.strictObject({ host: name }),
    result: z.object({ interrupted: z.number() }),
  },

  // ---- /proc ----
  /** A host's /proc file as `cat` prints it (/proc/net/dev, /proc/interrupts, /proc/sys/…). */
  'proc.read': {
    by: 'worker',
    effect: 'read',
    args: z.strictObject({ host: name, path: z.string().min(1).max(256) }),
    result: z.object({ text: z.string() }),
  },

  // ---- traffic generators ----
  'generators.list': {
    by: 'worker',
    effect: 'read',
    args: noArgs,
    result: z.array(generatorViewSchema),
  },
  /** Starts the named generator again from now (a new stream: the sink sees a new generator id). */
  /**
   * Creates a generator, or replaces the one of that name, as a lab file's `generators` entry
   * writes it (units as text: `10000pps`, `100Mbps`); it starts sending now, and the lab file
   * `lab.save` writes has it. A bad entry is an error naming its field (`args.rate`).
   */
  'generators.set': {
    by: 'worker',
    effect: 'journal',
    args: z.strictObject({
      name,
      from: z.string().min(1).max(130),
      to: z.string().min(1).max(64),
      rate: z.string().min(1).max(32).optional(),
      count: z.number().int().min(1).optional(),
      /** One payload size, or a list used in turn (as in a lab file). */
      size: z
        .union([
          z.number().int().min(0).max(65507),
          z.array(z.number().int().min(0).max(65507)).min(1).max(1024),
        ])
        .optional(),
      start: z.string().min(1).max(32).optional(),
      stop: z.string().min(1).max(32).optional(),
      pattern: z.enum(['cbr', 'poisson', 'onoff']).optional(),
      on: z.string().min(1).max(32).optional(),
      off: z.string().min(1).max(32).optional(),
    }),
    result: generatorViewSchema,
  },
  'generators.start': {
    by: 'worker',
    effect: 'journal',
    args: z.strictObject({ name }),
    result: generatorViewSchema,
  },
  'generators.stop': {
    by: 'worker',
    effect: 'journal',
    args: z.strictObject({ name }),
    result: generatorViewSchema,
  },

  // ---- the simulated clock ----
  'run.start': {
    by: 'worker',
    effect: 'change',
    args: z.strictObject({ speed: speedSchema.optional() }),
    result: runStateSchema,
  },
  'run.pause': { by: 'worker', effect: 'change', args: noArgs, result: runStateSchema },
  /** While paused: one scheduler event, or up to the end of the next frame on the wire. */
  'run.step': {
    by: 'worker',
    effect: 'change',
    args: z.strictObject({ unit: z.enum(['event', 'frame']) }),
    // frameEnded: a frame step reached the end of a frame (false: no frame was left to end).
    result: runStateSchema.extend({ stepped: z.number(), frameEnded: z.boolean() }),
  },
  'run.speed': {
    by: 'worker',
    effect: 'change',
    args: z.strictObject({ speed: speedSchema }),
    result: runStateSchema,
  },
  'run.state': { by: 'worker', effect: 'read', args: noArgs, result: runStateSchema },

  // ---- external ports ----
  /**
   * Opens the lab file's ports, which wait for the user's consent (the window asks, naming each
   * address). A port listening beyond loopback or sending to a broadcast or multicast address
   * needs `exposed: true`; without it nothing opens and the error lists what would be exposed.
   */
  'ports.open': {
    by: 'worker',
    effect: 'change',
    args: z.strictObject({ exposed: z.boolean().optional() }),
    result: z.array(portViewSchema),
  },

  // ---- statistics (also pushed as `stats` events about 10 times a second while running) ----
  'stats.get': { by: 'worker', effect: 'read', args: noArgs, result: statsSchema },

  // ---- captures ----
  /** Starts capturing: on the lab file's points, or on those named (`segment`, `h1:eth0`). */
  'capture.start': {
    by: 'worker',
    effect: 'journal',
    args: z.strictObject({
      points: z.array(name).min(1).max(64).optional(),
      snaplen: z.number().int().min(14).max(262144).optional(),
      /** The capture's memory budget in bytes (a new capture; default: the lab file's, or 128 MiB). */
      limit: z.number().int().min(MIN_CAPTURE_LIMIT).max(MAX_CAPTURE_LIMIT).optional(),
    }),
    result: captureStateSchema,
  },
  'capture.stop': { by: 'worker', effect: 'journal', args: noArgs, result: captureStateSchema },
  'capture.clear': { by: 'worker', effect: 'journal', args: noArgs, result: captureStateSchema },
  /**
   * A page of the packet list: positions `from`..`from + count - 1` of the frames held (of those
   * matching the display filter, when one is set). `total` is how many there are now.
   */
  'capture.rows': {
    by: 'worker',
    effect: 'read',
    args: z.strictObject({
      from: z.number().int().min(0),
      count: z.number().int().min(1).max(1000),
    }),
    result: z.object({ total: z.number(), rows: z.array(captureRowSchema) }),
  },
  /**
   * Sorts the packet list by a column as a click on Wireshark's header does: numbers as numbers,
   * addresses by their bytes, text as text; ties in frame order. `no` ascending is frame order.
   * It composes with the display filter; a column's values are read in the background (the
   * state's `sort.pending`), the list staying in frame order until they are.
   */
  'capture.sort': {
    by: 'worker',
    effect: 'change',
    args: z.strictObject({
      column: z.enum(SORT_COLUMNS),
      descending: z.boolean().optional(),
    }),
    result: captureStateSchema,
  },
  /** Where frame `no` is in the list as shown (filtered, sorted); null when it is not in it. */
  'capture.position': {
    by: 'worker',
    effect: 'read',
    args: z.strictObject({ no: z.number().int().min(0) }),
    result: z.object({ index: z.number().nullable() }),
  },
  /** One frame in detail: its row, bytes and dissection tree. */
  'capture.row': {
    by: 'worker',
    effect: 'read',
    args: z.strictObject({ no: z.number().int().min(0) }),
    result: frameDetailSchema,
  },
  /**
   * Follows frame `no` across the segment: what became of that wire frame at every station (the
   * sender; each card's filter verdict and why; each host's fate with its socket), with times.
   */
  'capture.follow': {
    by: 'worker',
    effect: 'read',
    args: z.strictObject({ no: z.number().int().min(0) }),
    result: frameFollowSchema,
  },
  /** Sets the display filter ('' clears it); a filter that does not compile is an error naming `text`. */
  'capture.filter': {
    by: 'worker',
    effect: 'change',
    args: z.strictObject({ text: z.string().max(4096) }),
    result: captureStateSchema,
  },
  /**
   * Exports frames as Wireshark's Export Specified Packets does: `all` held, those `displayed`
   * (the display filter's matches) or the `selected` frame `no`. Classic pcap cannot say which
   * capture point saw a frame, so a capture on several points gives one file per point.
   */
  'capture.export': {
    by: 'host',
    effect: 'read',
    args: z.strictObject({
      format: z.enum(['pcap', 'pcapng']),
      frames: z.enum(['all', 'displayed', 'selected']).default('all'),
      no: z.number().int().positive().optional(),
      /** One capture point's frames only (`lan1`, `h1:eth0`): one file, whatever the format. */
      point: name.optional(),
    }),
    result: exportResultSchema,
  },
  /**
   * Replaces the capture with a pcap or pcapng file's frames, for inspection: the file's bytes
   * as base64 (a file the user picked in the browser; at most MAX_IMPORT_BYTES).
   */
  'capture.import': {
    by: 'host',
    effect: 'change',
    args: z.strictObject({
      base64: z.base64().max(Math.ceil(MAX_IMPORT_BYTES / 3) * 4),
      fileName: z.string().min(1).max(255),
    }),
    result: importResultSchema,
  },
  /** Shows the Open dialog (hosts with dialogs only) and imports the chosen capture file. */
  'capture.open': {
    by: 'host',
    effect: 'change',
    args: noArgs,
    result: z.union([importResultSchema, z.object({ cancelled: z.literal(true) })]),
  },

  // ---- exercises ----
  /**
   * Evaluates the exercise's checks against the lab as it is now. Before `exercise.run` has run,
   * a check on the run's state is `pending`, not failed; the explanation comes once all pass.
   */
  'exercise.check': { by: 'worker', effect: 'read', args: noArgs, result: exerciseCheckSchema },
  /**
   * Answers question `id` ('' clears the answer). A number field takes a number or its text; a
   * prediction is refused once the exercise has run.
   */
  'exercise.answer': {
    by: 'worker',
    effect: 'journal',
    args: z.strictObject({
      id: z
        .string()
        .regex(/^[a-z][a-z0-9-]*$/, { error: 'expected a question id such as bin' })
        .max(64),
      value: z.union([z.string().max(1000), z.number()]),
    }),
    result: z.object({ answers: z.record(z.string(), z.union([z.string(), z.number()])) }),
  },
  /** Runs the lab for the exercise's stated time at full speed from where it is, pauses, checks. */
  'exercise.run': { by: 'worker', effect: 'journal', args: noArgs, result: exerciseCheckSchema },
  /** Hint `index` (hints come in order: at most one past those already shown). */
  'exercise.hint': {
    by: 'worker',
    effect: 'read',
    args: z.strictObject({ index: z.number().int().min(0).max(99) }),
    result: z.object({ text: z.string(), shown: z.number() }),
  },
  /** The solution: its shell steps and its answers (the attempt records that it was shown). */
  'exercise.solution': {
    by: 'worker',
    effect: 'read',
    args: noArgs,
    result: z.object({
      steps: z.array(z.object({ host: z.string(), run: z.string() })),
      answers: z.record(z.string(), z.union([z.string(), z.number()])),
      /**
       * A driver exercise: the driver that solves it on each device (the card's reference, or
       * the file the solution names), to read beside the student's and load into the editor.
       */
      drivers: z.array(
        driverRefSchema.extend({
          /** The solution's own file name (`tulip.js`). */
          solutionFile: z.string(),
          text: z.string(),
        }),
      ),
    }),
  },
  /** The exercise's lab as it was loaded, answers cleared. */
  'exercise.reset': { by: 'worker', effect: 'change', args: noArgs, result: labViewSchema },
  /** The attempt as a file (`*.attempt.yaml`) for `netlab grade`: the lab, the journal, the verdicts. */
  'exercise.handIn': {
    by: 'worker',
    effect: 'read',
    args: z.strictObject({ student: z.string().trim().min(1).max(100) }),
    result: z.object({ fileName: z.string(), text: z.string() }),
  },

  // ---- student drivers (register-level cards) ----
  /** The devices whose driver is the student's (a lab file's `driver: { file }`). */
  'driver.list': { by: 'worker', effect: 'read', args: noArgs, result: z.array(driverRefSchema) },
  /** One device's driver: the source it runs, the card's register map, the kernel API, its oopses. */
  'driver.get': {
    by: 'worker',
    effect: 'read',
    args: z.strictObject({ host: name, dev: name }),
    result: driverSourceSchema,
  },
  /**
   * Loads `text` as the device's driver in the running lab: the device is closed (its `stop`),
   * the new module loaded and probed, and the device opened again if it was up. Every device
   * running the same file gets it, and a lab rebuilt later (Reset) keeps it. A module that does not
   * load (a syntax error, a throw in `probe`) answers its oops; the device stays down until a
   * driver that loads is reloaded. Journaled with its text: `netlab grade` reloads the same
   * driver at the same moment.
   */
  'driver.reload': {
    by: 'worker',
    effect: 'journal',
    args: z.strictObject({ host: name, dev: name, text: z.string().max(MAX_DRIVER_TEXT) }),
    result: driverReloadSchema,
  },
  /**
   * Saves `text` as the driver's file beside the lab file (hosts with files), or offers it as a
   * download (the web host, or a built-in lab, whose files are read-only).
   */
  'driver.save': {
    by: 'host',
    effect: 'read',
    args: z.strictObject({ host: name, dev: name, text: z.string().max(MAX_DRIVER_TEXT) }),
    result: z.union([
      z.object({ saved: z.literal(true), file: z.string() }),
      z.object({ saved: z.literal(false), fileName: z.string(), text: z.string() }),
    ]),
  },

  // ---- testing the engine's recovery ----
  /** Makes the engine's worker throw (only when the host enables debug ops). */
  'debug.crash': { by: 'worker', effect: 'change', args: noArgs, result: z.object({}) },
} as const satisfies Record<
  string,
  { by: OpAnsweredBy; effect: OpEffect; args: z.ZodType; result: z.ZodType }
>;

export type OpName = keyof typeof apiOps;
/** What a caller passes (before defaults and transforms). */
export type OpArgs<K extends OpName> = z.input<(typeof apiOps)[K]['args']>;
/** What the handler receives once the arguments are validated. */
export type OpParsedArgs<K extends OpName> = z.output<(typeof apiOps)[K]['args']>;
export type OpResult<K extends OpName> = z.output<(typeof apiOps)[K]['result']>;

export const OP_NAMES = Object.keys(apiOps) as OpName[];

export function isOpName(op: string): op is OpName {
  return Object.hasOwn(apiOps, op);
}
