// The stores against a fake API: what they ask the engine, and what they make of its answers
// and events.
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import type { CaptureState, InterfaceView, LabView } from '../../../src-main/ipc/api';
import { FakeApi } from './fake-api';
import { useCaptureStore } from './capture';
import { useInterfacesStore } from './interfaces';
import { useLabStore } from './lab';
import { useShellStore } from './shell';
import { hostTotals, useStatsStore, chartSeries, type LabReport } from './stats';

const flush = () => new Promise((r) => setTimeout(r, 0));

function captureState(over: Partial<CaptureState> = {}): CaptureState {
  return {
    running: true,
    points: ['segment'],
    count: 1000,
    first: 1,
    last: 1000,
    filter: '',
    matching: 1000,
    pending: 0,
    sort: { column: 'no', descending: false, pending: 0, generation: 0 },
    ...over,
  } as CaptureState;
}

function iface(over: Partial<InterfaceView> = {}): InterfaceView {
  return {
    host: 'h1',
    name: 'eth0',
    ifindex: 2,
    flags: ['UP', 'BROADCAST', 'RUNNING', 'MULTICAST'],
    devFlags: ['UP', 'BROADCAST', 'RUNNING', 'MULTICAST'],
    mac: '02:00:00:00:00:02',
    mtu: 1500,
    txQueueLen: 1000,
    map: { memStart: 0, memEnd: 0, baseAddr: 0x300, irq: 3, dma: 0, port: 0 },
    addresses: ['10.0.0.2/24'],
    mcList: [],
    groups: [],
    joined: [],
    model: 'hash64',
    modelDescription: '',
    segment: 'segment',
    filter: null,
    ring: null,
    stats: null,
    ...over,
  };
}

const NO_FILE_SETUP = { ipForward: false, bridges: [], routes: [] };

function labView(): LabView {
  return {
    name: 'lab',
    description: '',
    fileName: '',
    unsaved: false,
    seed: 1,
    segment: { bitRate: 1e8, delayNs: 500, duplex: 'half' },
    segments: [],
    hosts: [
      {
        name: 'h0',
        cpuPerFrameNs: 500,
        prompt: 'root@h0:~# ',
        interfaces: [iface({ host: 'h0' })],
        file: NO_FILE_SETUP,
        net: { ipForward: false, routes: [], bridges: [] },
      },
      {
        name: 'h1',
        cpuPerFrameNs: 500,
        prompt: 'root@h1:~# ',
        interfaces: [iface()],
        file: NO_FILE_SETUP,
        net: { ipForward: false, routes: [], bridges: [] },
      },
    ],
    generators: [],
    ports: [],
    capture: captureState(),
    run: { running: false, speed: 1, simTimeNs: 0, events: 0 },
    exercise: null,
  } as LabView;
}

function report(t: number, h1rx: number, wasted = 0): LabReport {
  const host = (rx: number) => ({
    devices: { eth0: { stats: { rx_packets: rx, tx_packets: 0, rx_dropped: 0 } } },
    fates: { notJoined: rx },
    cpu: { busyNs: 0, wastedNs: wasted },
    softnet: { processed: 0, dropped: 0, timeSqueeze: 0 },
  });
  return {
    simTimeNs: t,
    hosts: { h0: host(0), h1: host(h1rx) },
    sinks: [],
    segment: {
      frames: 0,
      bytes: 0,
      collisions: 0,
      aborted: 0,
      lost: 0,
      corrupted: 0,
      utilisation: 0,
    },
  } as unknown as LabReport;
}

beforeEach(() => setActivePinia(createPinia()));

describe('lab store', () => {
  it('loads a built-in lab and tells the other stores', async () => {
    const view = labView();
    const api = new FakeApi({ 'lab.load': () => view });
    const lab = useLabStore();
    const shell = useShellStore();
    shell.init();
    await lab.loadBuiltin('hash-collisions');
    expect(api.calls).toEqual([{ op: 'lab.load', args: { builtin: 'hash-collisions' } }]);
    expect(lab.hostNames).toEqual(['h0', 'h1']);
    expect(lab.interfaces).toEqual([
      { host: 'h0', dev: 'eth0' },
      { host: 'h1', dev: 'eth0' },
    ]);
    expect(Object.keys(shell.terminals)).toEqual(['h0', 'h1']);
  });

  it("applies a load once when the engine's lab event came before the reply", async () => {
    const view = labView();
    const capture = useCaptureStore();
    capture.init();
    const api: FakeApi = new FakeApi({
      'lab.builtins': () => [],
      'lab.get': () => view,
      'lab.load': () => {
        api.emit('lab', view);
        // The user, seeing the new lab, picks a frame before the reply is in.
        capture.selectedNo = 7;
        return view;
      },
    });
    const lab = useLabStore();
    await lab.init();
    expect(lab.generation).toBe(1);
    await lab.loadBuiltin('hash-collisions');
    expect(lab.generation).toBe(2);
    expect(capture.selectedNo).toBe(7);
  });

  it('keeps an error reply as its message', async () => {
    new FakeApi({ 'run.start': { error: { code: 'engine', message: 'the engine stopped' } } });
    const lab = useLabStore();
    await lab.start();
    expect(lab.error).toBe('the engine stopped');
  });
});

describe('capture store', () => {
  it('keeps a cleared filter box empty when a late stats update still carries the old filter', async () => {
    const api: FakeApi = new FakeApi({
      'capture.filter': () => {
        api.emit('stats', { capture: captureState({ filter: 'udp' }) });
        return captureState({ filter: '' });
      },
    });
    const capture = useCaptureStore();
    capture.init();
    capture.update(captureState({ filter: 'udp' }), true);
    expect(capture.filterText).toBe('udp');
    expect(await capture.applyFilter('')).toBe(true);
    expect(capture.filterText).toBe('');
  });

  it('clearing the capture keeps a row the user chose in the new list before the reply', async () => {
    const capture = useCaptureStore();
    new FakeApi({
      'capture.clear': () => {
        capture.selectedNo = 1001;
        return captureState({ first: 1001, last: 1001, count: 1, matching: 1 });
      },
    });
    capture.selectedNo = 5;
    await capture.control('capture.clear');
    expect(capture.selectedNo).toBe(1001);
    await capture.control('capture.clear');
    expect(capture.selectedNo).toBeNull();
  });

  it('shows a filter error with its position and keeps the old filter', async () => {
    new FakeApi({
      'capture.filter': {
        error: {
          code: 'bad-filter',
          message: "display filter: expected a value after '==' at 16",
          field: 'args.text',
          details: { message: "expected a value after '=='", position: 16, length: 0 },
        },
      },
    });
    const capture = useCaptureStore();
    expect(await capture.applyFilter('udp && ip.dst ==')).toBe(false);
    // The window points at the position under the box: the message need not repeat it.
    expect(capture.filterError).toEqual({
      message: "expected a value after '=='",
      position: 16,
      length: 0,
    });
    expect(capture.history).toEqual([]);
  });

  it('drops a filter error that comes back after a new lab reset the box', async () => {
    new FakeApi({
      'capture.filter': {
        error: {
          code: 'bad-filter',
          message: "display filter: unexpected character '=' at 9",
          field: 'args.text',
          details: { message: "unexpected character '='", position: 9, length: 1 },
        },
      },
    });
    const capture = useCaptureStore();
    const applied = capture.applyFilter('udp.port = 5000');
    // The new lab's load lands while the filter is being compiled.
    capture.update(captureState({ filter: '' }), true);
    expect(await applied).toBe(false);
    expect(capture.filterText).toBe('');
    expect(capture.filterError).toBeNull();
  });

  it('applies a filter, remembers it, and pages the matching rows afresh', async () => {
    const api = new FakeApi({
      'capture.filter': (a: { text: string }) => captureState({ filter: a.text, matching: 3 }),
      'capture.rows': (a: { from: number; count: number }) => ({
        total: 3,
        rows: [5, 9, 12].slice(a.from, a.from + a.count).map((no) => ({ no })),
      }),
    });
    const capture = useCaptureStore();
    capture.init();
    capture.update(captureState());
    const epoch = capture.epoch;
    expect(await capture.applyFilter('udp')).toBe(true);
    expect(capture.total).toBe(3);
    expect(capture.epoch).toBeGreaterThan(epoch);
    expect(capture.history).toEqual(['udp']);
    await capture.ensureRows(0, 2);
    expect(capture.row(2)).toEqual({ no: 12 });
    expect(api.opsCalled()).toEqual(['capture.filter', 'capture.rows']);
  });

  it('selects a frame, then the field of a clicked byte, opening its parents', async () => {
    const tree = [
      {
        name: 'eth',
        label: 'Ethernet II',
        value: '',
        range: [0, 14],
        children: [
          { name: 'eth.dst', label: 'Destination', value: '', range: [0, 6], children: [] },
          { name: 'eth.type', label: 'Type', value: '', range: [12, 14], children: [] },
        ],
      },
    ];
    new FakeApi({ 'capture.row': () => ({ row: { no: 7 }, hex: '00'.repeat(14), tree }) });
    const capture = useCaptureStore();
    await capture.select(7);
    expect(capture.detail?.row.no).toBe(7);
    capture.expanded = new Set();
    capture.selectByte(13);
    expect(capture.selectedField).toBe('0.1');
    expect(capture.expanded.has('0')).toBe(true);
    expect(capture.selectedRange).toEqual([12, 14]);
  });

  it('starts the list again when a ring capture forgets its oldest frames', () => {
    new FakeApi();
    const capture = useCaptureStore();
    capture.update(captureState());
    const epoch = capture.epoch;
    capture.update(captureState({ count: 1100, last: 1100, matching: 1100 }));
    expect(capture.epoch).toBe(epoch);
    capture.update(captureState({ first: 101, last: 1100, matching: 1000 }));
    expect(capture.epoch).toBe(epoch + 1);
  });
});

describe('interfaces store', () => {
  it("keeps a refusal by control, with the errno's meaning, and clears it on success", async () => {
    let up = true;
    new FakeApi({
      'iface.setMac': () =>
        up
          ? {
              ok: false,
              errno: 'EBUSY',
              code: 16,
              message: 'Device or resource busy',
              ioctl: 'SIOCSIFHWADDR',
            }
          : { ok: true, iface: iface({ mac: '02:00:00:00:00:99' }) },
    });
    const ifaces = useInterfacesStore();
    ifaces.host = 'h1';
    ifaces.dev = 'eth0';
    expect(await ifaces.run('mac', 'iface.setMac', { mac: '02:00:00:00:00:99' })).toBe(false);
    expect(ifaces.refusals['mac']).toBe('EBUSY: this NIC changes its MAC only while down');
    up = false;
    expect(await ifaces.run('mac', 'iface.setMac', { mac: '02:00:00:00:00:99' })).toBe(true);
    expect(ifaces.refusals['mac']).toBeUndefined();
    expect(ifaces.view?.mac).toBe('02:00:00:00:00:99');
  });

  it('a reply for an interface the user has left does not show on the one now chosen', async () => {
    const ifaces = useInterfacesStore();
    new FakeApi({
      'iface.down': () => {
        ifaces.host = 'h0';
        return { ok: false, errno: 'EPERM', code: 1, message: 'Operation not permitted' };
      },
    });
    ifaces.host = 'h1';
    ifaces.dev = 'eth0';
    ifaces.view = iface({ host: 'h0' });
    expect(await ifaces.run('up', 'iface.down', {})).toBe(false);
    expect(ifaces.refusals['up']).toBeUndefined();
    expect(ifaces.view?.host).toBe('h0');
  });

  it('sends user: true when acting as the unprivileged user', async () => {
    const api = new FakeApi({ 'iface.down': () => ({ ok: true, iface: iface() }) });
    const ifaces = useInterfacesStore();
    ifaces.host = 'h1';
    ifaces.dev = 'eth0';
    ifaces.asUser = true;
    await ifaces.run('up', 'iface.down', {});
    expect(api.calls[0].args).toEqual({ host: 'h1', dev: 'eth0', user: true });
  });
});

describe('shell store', () => {
  it('echoes the line, appends the output, then streamed lines until the job is done', async () => {
    const api = new FakeApi({
      'shell.exec': () => ({
        job: 4,
        output: ['PING 10.0.0.3'],
        done: false,
        exitCode: 0,
        prompt: 'root@h1:~# ',
      }),
    });
    const shell = useShellStore();
    shell.init();
    await shell.exec('h1', 'ping 10.0.0.3');
    const t = shell.terminal('h1');
    expect(t.lines).toEqual(['root@h1:~# ping 10.0.0.3', 'PING 10.0.0.3']);
    expect(t.job).toBe(4);
    api.emit('shell.output', { host: 'h1', job: 4, lines: ['64 bytes from 10.0.0.3'] });
    api.emit('shell.done', { host: 'h1', job: 4, exitCode: 0, prompt: 'user@h1:~$ ' });
    expect(t.lines.at(-1)).toBe('64 bytes from 10.0.0.3');
    expect(t.job).toBeNull();
    expect(t.prompt).toBe('user@h1:~$ ');
    expect(t.history).toEqual(['ping 10.0.0.3']);
  });
});

describe('stats store', () => {
  it('turns reports into per-host rates on the charts', async () => {
    const api = new FakeApi({
      'stats.get': () => ({
        report: report(0, 0),
        generators: [],
        capture: captureState(),
        run: {},
      }),
    });
    const stats = useStatsStore();
    stats.init();
    for (const [t, rx] of [
      [0, 0],
      [100e6, 1000],
      [200e6, 3000],
    ])
      api.emit('stats', {
        report: report(t, rx, rx * 2000),
        generators: [],
        capture: captureState(),
        run: {},
      });
    await flush();
    expect(stats.hosts).toEqual(['h0', 'h1']);
    expect(stats.dtNs).toBe(100e6);
    // h1: 2000 frames in 0.1 s; each also a kernel drop (not joined).
    expect(chartSeries('rx').data()).toEqual([
      [0.1, 0.2],
      [0, 0],
      [10_000, 20_000],
    ]);
    expect(chartSeries('drops').ys[1]).toEqual([10_000, 20_000]);
    expect(hostTotals(report(0, 5), 'h1')).toEqual({ rx: 5, tx: 0, drops: 5 });
    // Every kernel drop of the fates table counts (a router's failed ARP too); the driver's own
    // drops (backlog full, device drop) are in rx_dropped already and are not counted twice.
    const r = report(0, 5);
    Object.assign(r.hosts['h1']!.fates, { neighFailed: 2, noRoute: 1, backlogFull: 7, devDrop: 3 });
    expect(hostTotals(r, 'h1').drops).toBe(5 + 2 + 1);
  });

  it('keeps the hosts’ net views a push leaves out (they did not change)', () => {
    const stats = useStatsStore();
    const push = (t: number, net: Record<string, unknown>) =>
      stats.receive({ report: report(t, 0), generators: [], ports: [], net } as never);
    const routed = { ipForward: true, routes: [], bridges: [] };
    push(0, { h0: NO_FILE_SETUP, h1: NO_FILE_SETUP });
    const before = stats.net;
    push(100e6, {});
    // Nothing changed: the same object, so nothing drawn from it is worked out again.
    expect(stats.net).toBe(before);
    push(200e6, { h1: routed });
    expect(stats.net).toEqual({ h0: NO_FILE_SETUP, h1: routed });
  });
});
