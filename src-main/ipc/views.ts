// What the API hands back: serialisable views of the lab (plain JSON, no class instances), so
// the same objects cross a worker boundary, Electron IPC and a WebSocket unchanged.
//
// Views the API builds itself are schemas here, so a test (or a suspicious client) can check a
// reply. The lab core's own report types (LabReport, GeneratorStats) are declared where they are
// made; they cross as `z.custom` — typed, not re-checked — because the engine produces them.
import { z } from 'zod';
import type { LabReport } from '../lab/report';
import type { GeneratorStats } from '../lab/traffic/generator';
import type { SpecError } from '../lab/labfile/errors';
import { hostNetViewSchema } from './host-net-view';

/** A refusal by the kernel, as the syscall would report it: `EBUSY`, 16, `Device or resource busy`. */
export const errnoReplySchema = z.object({
  ok: z.literal(false),
  errno: z.string(),
  code: z.number().int(),
  message: z.string(),
  /** The ioctl that refused, `SIOCSIFHWADDR`; absent for non-ioctl refusals (a socket join). */
  ioctl: z.string().optional(),
});
export type ErrnoReply = z.infer<typeof errnoReplySchema>;

export const ifmapSchema = z.object({
  memStart: z.number(),
  memEnd: z.number(),
  baseAddr: z.number(),
  irq: z.number(),
  dma: z.number(),
  port: z.number(),
});

export const nicFilterSchema = z.object({
  model: z.string(),
  /** none | perfect | hash | allmulti | promisc */
  mode: z.string(),
  /** Hash bins set (0..hashBins - 1). */
  bins: z.array(z.number()),
  /** Bins in the card's hash table: 64 (hash64) or 512 (perfect, a 21x4x). */
  hashBins: z.number(),
  perfect: z.array(z.string()),
  perfectCapacity: z.number(),
  rejected: z.number(),
  accepted: z.record(z.string(), z.number()),
});

export const nicRingSchema = z.object({
  rxRing: z.number(),
  rxPending: z.number(),
  txRing: z.number(),
  txPending: z.number(),
  copybreak: z.number(),
  irqInterval: z.number(),
  napiWeight: z.number(),
  rxInterrupts: z.number(),
  txInterrupts: z.number(),
  polls: z.number(),
});

export const interfaceViewSchema = z.object({
  host: z.string(),
  name: z.string(),
  ifindex: z.number(),
  /** IFF_* names as SIOCGIFFLAGS reports them: UP, BROADCAST, RUNNING, PROMISC… */
  flags: z.array(z.string()),
  /**
   * `dev->flags` inside the kernel: PROMISC/ALLMULTI however set (a capture, or a 1996
   * driver that set IFF_PROMISC itself), where `flags` shows only what a user asked for.
   */
  devFlags: z.array(z.string()),
  mac: z.string(),
  mtu: z.number(),
  txQueueLen: z.number(),
  map: ifmapSchema,
  /** `10.0.0.2/24` */
  addresses: z.array(z.string()),
  /** The segment its cable goes to, or null for a device with none. */
  segment: z.string().nullable(),
  /** The hardware multicast list (dev_mc): what the NIC filter is programmed from. */
  mcList: z.array(z.object({ mac: z.string(), users: z.number(), static: z.boolean() })),
  /** IPv4 groups joined on the interface (/proc/net/igmp). */
  groups: z.array(z.object({ group: z.string(), users: z.number() })),
  /** Groups this API joined with a socket of its own (`iface.join`). */
  joined: z.array(z.string()),
  model: z.string(),
  modelDescription: z.string(),
  filter: nicFilterSchema.nullable(),
  ring: nicRingSchema.nullable(),
  stats: z.record(z.string(), z.number()).nullable(),
});
export type InterfaceView = z.infer<typeof interfaceViewSchema>;

export const hostViewSchema = z.object({
  name: z.string(),
  cpuPerFrameNs: z.number(),
  prompt: z.string(),
  interfaces: z.array(interfaceViewSchema),
  /**
   * What the lab file says of the host beyond its cards, as the file gives it: what the topology
   * editor changes and Save writes (the shell's `ip route add` changes the running kernel only).
   */
  file: z.object({
    ipForward: z.boolean(),
    bridges: z.array(
      z.object({
        name: z.string(),
        ports: z.array(z.string()),
        /** Its own address (`10.0.0.254/24`), or null. */
        ip: z.string().nullable(),
        mcastSnooping: z.boolean(),
        querier: z.boolean(),
      }),
    ),
    routes: z.array(
      z.object({
        to: z.string(),
        via: z.string().nullable(),
        dev: z.string().nullable(),
        metric: z.number(),
      }),
    ),
  }),
  /**
   * Its bridges, ip_forward and routes as its kernel has them now (the shell may have changed
   * them since the file): what makes it a switch or a router, and what the topology draws.
   */
  net: hostNetViewSchema,
});
export type HostView = z.infer<typeof hostViewSchema>;

export const speedSchema = z.union([z.number().min(0.001).max(1), z.literal('max')]);
export type Speed = z.infer<typeof speedSchema>;

export const runStateSchema = z.object({
  running: z.boolean(),
  /** Simulated seconds per wall second (0.001..1), or 'max': as fast as the CPU allows. */
  speed: speedSchema,
  simTimeNs: z.number(),
  /** Events the scheduler has dispatched since the lab was built. */
  events: z.number(),
});
export type RunState = z.infer<typeof runStateSchema>;

export const generatorViewSchema = z.object({
  index: z.number(),
  name: z.string(),
  host: z.string(),
  dev: z.string(),
  to: z.string(),
  port: z.number(),
  pattern: z.string(),
  /** `10000pps`, `100Mbps`, or 'line rate'. */
  rate: z.string(),
  /** As the lab file gives them, so an editor can show what a save would keep. */
  count: z.number().nullable(),
  sizes: z.array(z.number()),
  /** Simulated times as a lab file writes them (`500ms`); null when the file gives none. */
  start: z.string().nullable(),
  stop: z.string().nullable(),
  on: z.string().nullable(),
  off: z.string().nullable(),
  active: z.boolean(),
  sent: z.number(),
  attempts: z.number(),
  sendErrors: z.record(z.string(), z.number()),
});
export type GeneratorView = z.infer<typeof generatorViewSchema>;

/** The columns the packet list sorts by (each named by the row field it shows). */
export const SORT_COLUMNS = [
  'no',
  'time',
  'source',
  'destination',
  'protocol',
  'length',
  'info',
  'fate',
  'point',
] as const;
export type SortColumn = (typeof SORT_COLUMNS)[number];

/** How the packet list is sorted ('no' ascending: frame order). */
export const captureSortSchema = z.object({
  column: z.enum(SORT_COLUMNS),
  descending: z.boolean(),
  /** Frames whose value in the column is still to be read: until 0 the list is in frame order. */
  pending: z.number(),
  /** Moves whenever the order shown changes (the list was sorted again): pages are stale. */
  generation: z.number(),
});
export type CaptureSort = z.infer<typeof captureSortSchema>;

export const captureStateSchema = z.object({
  running: z.boolean(),
  points: z.array(z.string()),
  /** Frames held (after ring eviction); `first`..`last` are their numbers (first > last: none). */
  count: z.number(),
  first: z.number(),
  last: z.number(),
  /** The display filter in force ('' for none) and how many frames the list shows now (those
   * that match it so far; a sorted list shows those it was last sorted with). */
  filter: z.string(),
  matching: z.number(),
  /** Frames the display filter has yet to test: the scan runs in the background (0: done). */
  pending: z.number(),
  /** The capture's memory budget (bytes of frames), the bytes it holds, and the frames it
   * overwrote once at its limit (its oldest go first, as a ring). */
  limit: z.number(),
  bytes: z.number(),
  overwritten: z.number(),
  sort: captureSortSchema,
});
export type CaptureState = z.infer<typeof captureStateSchema>;

/** An external port's counters (both sides: the UDP socket's and the segment station's). */
export const portCountersSchema = z.object({
  /** Datagrams received (each one a frame, or malformed). */
  datagramsIn: z.number(),
  /** Datagrams sent to the remote address. */
  datagramsOut: z.number(),
  /** Sends the socket refused. */
  sendErrors: z.number(),
  /** Datagrams from an address other than the remote one: dropped. */
  foreign: z.number(),
  /** Frames from the segment handed to the outside. */
  toOutside: z.number(),
  /** Frames from the outside that went onto the segment. */
  fromOutside: z.number(),
  /** Datagrams too short (< 14 bytes) or too long to be a frame. */
  malformed: z.number(),
  /** Datagrams dropped because the port's queue to the segment was full. */
  queueDrops: z.number(),
  /** Outside frames the segment could not carry (16 collisions, no carrier). */
  txErrors: z.number(),
  /** Segment frames not passed on: bad FCS or runts. */
  wireErrors: z.number(),
});
export type PortCounters = z.infer<typeof portCountersSchema>;

/** An external port of the segment (a lab file's `ports` entry): the outside machine on the wire. */
export const portViewSchema = z.object({
  name: z.string(),
  /** Where it listens, `127.0.0.1:7000`: the lab file's address, then the socket's own once bound. */
  listen: z.string(),
  /** Where the segment's frames go, `127.0.0.1:7001`. */
  remote: z.string(),
  /**
   * waiting: not opened until the user agrees (`ports.open`); opening: binding its socket; open:
   * carrying frames; failed: it could not listen (`error` says why).
   */
  state: z.enum(['waiting', 'opening', 'open', 'failed', 'closed']),
  error: z.string(),
  /** What it exposes beyond this machine (listening on the network, sending to a group): each
   * needs `ports.open` with `exposed: true`. */
  exposure: z.array(z.string()),
  counters: portCountersSchema,
  /** The segment it joins (its `segment:`, or the lab's first). */
  segment: z.string().optional(),
});
export type PortView = z.infer<typeof portViewSchema>;

/** A question of an exercise as the student sees it (its answer stays in the engine). */
export const questionViewSchema = z.object({
  id: z.string(),
  prompt: z.string(),
  type: z.enum(['number', 'choice', 'text']),
  choices: z.array(z.string()),
  unit: z.string(),
  /** A prediction: answered before the exercise runs, locked afterwards. */
  predict: z.boolean(),
  /** How close a number must be, as the exercise states it ('5', '10%'), or ''. */
  tolerance: z.string(),
});
export type QuestionView = z.infer<typeof questionViewSchema>;

export const exerciseViewSchema = z.object({
  title: z.string(),
  summary: z.string(),
  level: z.string(),
  kind: z.string(),
  instructions: z.string(),
  questions: z.array(questionViewSchema),
  /** How many hints there are. */
  hints: z.number(),
  hasSolution: z.boolean(),
  /** How long Run exercise runs the lab (simulated ns). */
  runNs: z.number(),
  checks: z.array(z.string()),
  /** The student's attempt so far. */
  attempt: z.object({
    answers: z.record(z.string(), z.union([z.string(), z.number()])),
    ran: z.boolean(),
    hintsShown: z.number(),
    solutionShown: z.boolean(),
  }),
});
export type ExerciseView = z.infer<typeof exerciseViewSchema>;

export const segmentViewSchema = z.object({
  /** `lan1`; a lab of one segment calls it `segment`. */
  name: z.string(),
  bitRate: z.number(),
  delayNs: z.number(),
  duplex: z.string(),
  /** Two stations in full duplex: a cable (switched Ethernet); otherwise a hub. */
  cable: z.boolean(),
  /** `HOST:DEV` of each card on it, in the order they were plugged in. */
  stations: z.array(z.string()),
});
export type SegmentView = z.infer<typeof segmentViewSchema>;

export const labViewSchema = z.object({
  name: z.string(),
  description: z.string(),
  /** The file name it was loaded from (no directory), or '' for a new lab. */
  fileName: z.string(),
  /** It has changes Save would write and its file does not hold yet. */
  unsaved: z.boolean(),
  seed: z.number(),
  /** The lab's first segment (its only one, in a lab of one). */
  segment: z.object({ bitRate: z.number(), delayNs: z.number(), duplex: z.string() }),
  /** Every segment in the lab's order, with the cards plugged into it. */
  segments: z.array(segmentViewSchema),
  hosts: z.array(hostViewSchema),
  generators: z.array(generatorViewSchema),
  /** External ports: while one is open the lab runs in real time at 1×. */
  ports: z.array(portViewSchema),
  capture: captureStateSchema,
  run: runStateSchema,
  /** The lab's exercise, when it has one: what to do, and the titles of the checks. */
  exercise: exerciseViewSchema.nullable(),
});
export type LabView = z.infer<typeof labViewSchema>;

export const captureRowSchema = z.object({
  no: z.number(),
  /**
   * ns since the capture's origin: the lab's simulated time (which may fall between two ns), or,
   * for an imported file, since its first frame (Wireshark's default Time column). A double holds
   * it exactly; it could not hold epoch ns (1.7e18 > 2^53), hence `epoch`.
   */
  timeNs: z.number(),
  /**
   * The frame's exact instant as epoch seconds with nine decimals, tshark's frame.time_epoch
   * (`1700000000.010000000`): a string, because JSON numbers are doubles.
   */
  epoch: z.string().regex(/^-?[0-9]{1,12}\.[0-9]{9}$/, 'epoch seconds with nine decimals'),
  point: z.string(),
  direction: z.string(),
  wireLength: z.number(),
  capturedLength: z.number(),
  fate: z.string(),
  source: z.string(),
  destination: z.string(),
  protocol: z.string(),
  info: z.string(),
});
export type CaptureRowView = z.infer<typeof captureRowSchema>;

/** One item of the packet-details tree (see lab/capture/dissect/dissect.ts). */
export interface FieldView {
  name: string;
  label: string;
  value: string;
  range: [number, number];
  hidden?: boolean;
  malformed?: string;
  children: FieldView[];
}
export const fieldViewSchema: z.ZodType<FieldView> = z.lazy(() =>
  z.object({
    name: z.string(),
    label: z.string(),
    value: z.string(),
    range: z.tuple([z.number(), z.number()]),
    hidden: z.boolean().optional(),
    malformed: z.string().optional(),
    children: z.array(fieldViewSchema),
  }),
);

export const frameDetailSchema = z.object({
  row: captureRowSchema,
  /** The captured bytes as lower-case hex, two digits a byte. */
  hex: z.string(),
  tree: z.array(fieldViewSchema),
});
export type FrameDetail = z.infer<typeof frameDetailSchema>;

export const shellResultSchema = z.object({
  /** Identifies the job in `shell.output` / `shell.done` events. */
  job: z.number(),
  /** Lines printed before the reply (all of them, for a job that is done). */
  output: z.array(z.string()),
  done: z.boolean(),
  exitCode: z.number(),
  /** The prompt after the command (`su` changes it). */
  prompt: z.string(),
});
export type ShellResult = z.infer<typeof shellResultSchema>;

export const labReportSchema = z.custom<LabReport>(
  (v) => typeof v === 'object' && v !== null && 'simTimeNs' in v,
);
export const generatorStatsSchema = z.custom<GeneratorStats>(
  (v) => typeof v === 'object' && v !== null,
);

export const statsSchema = z.object({
  report: labReportSchema,
  generators: z.array(generatorViewSchema),
  ports: z.array(portViewSchema),
  capture: captureStateSchema,
  run: runStateSchema,
  /**
   * Hosts' bridges, ip_forward and routes now (the shell may have changed them): every host's in
   * a `stats.get` reply; in a pushed `stats` event only those whose view changed since the last
   * push (all of them in a new lab's first), so a window keeps the others it has.
   */
  net: z.record(z.string(), hostNetViewSchema),
});
export type Stats = z.infer<typeof statsSchema>;

export const specErrorSchema = z.custom<SpecError>((v) => typeof v === 'object' && v !== null);

export const checkResultSchema = z.object({
  title: z.string(),
  pass: z.boolean(),
  /** The value found (or a command's output), as text. */
  actual: z.string(),
  /** What the check wanted: `> 0`, `contains "UP"`. */
  expected: z.string(),
  /** It looks at what the exercise's run measures, and the exercise has not run yet. */
  pending: z.boolean().optional(),
});

export const exerciseCheckSchema = z.object({
  title: z.string(),
  passed: z.number(),
  results: z.array(checkResultSchema),
  /** Whether the exercise has run (`exercise.run`) since it was loaded or reset. */
  ran: z.boolean(),
  /** The exercise's explanation (Markdown) once every check passes, else ''. */
  explanation: z.string(),
});

/** A file the user may download (the web host) or that was written (Electron). */
const downloadSchema = z.object({
  fileName: z.string(),
  mime: z.string(),
  base64: z.string(),
  /** A lab file's revision: the page says `lab.downloaded` with it once the browser has the
   * file, and only then does the lab count as saved. */
  revision: z.number().optional(),
});
export const fileResultSchema = z.union([
  z.object({ saved: z.string() }),
  z.object({ download: downloadSchema }),
  z.object({ cancelled: z.literal(true) }),
]);
export type FileResult = z.infer<typeof fileResultSchema>;

/** An export: one file, or one per capture point (classic pcap), saved or offered as downloads. */
export const exportResultSchema = z.union([
  ...fileResultSchema.options,
  z.object({ downloads: z.array(downloadSchema) }),
]);
export type ExportResult = z.infer<typeof exportResultSchema>;
