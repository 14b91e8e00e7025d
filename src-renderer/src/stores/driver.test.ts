// The driver store against a fake API: opening a lab's driver, a reload the kernel refused (its
// oops kept, the device down), a reload taken, and Save offering a download where
// the host has no files.
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import type { DriverSourceView, OopsView } from '../../../src-main/ipc/api';
import { useExerciseStore } from './exercise';
import { useDriverStore } from './driver';
import { useUiStore } from './ui';
import { FakeApi } from './fake-api';

const source = (text: string, oopses: OopsView[] = []): DriverSourceView => ({
  host: 'h1',
  dev: 'eth0',
  file: 'tulip.js',
  card: 'tulip',
  text,
  registers: [{ name: 'CSR5', offset: 0x28, page: null, doc: 'status' }],
  api: [{ name: 'netif_rx', signature: 'netif_rx(skb)', doc: 'hands a frame up' }],
  ops: ['open', 'stop'],
  oopses,
});

const oops: OopsView = {
  message: 'SyntaxError: unexpected token',
  title: 'SyntaxError',
  line: 3,
  op: null,
  stack: '    at tulip.js:3',
  timeNs: 0,
};

describe('driver store', () => {
  let running: string;
  let api: FakeApi;

  beforeEach(() => {
    setActivePinia(createPinia());
    running = 'export default {};\n';
    api = new FakeApi({
      'driver.list': () => [{ host: 'h1', dev: 'eth0', file: 'tulip.js', card: 'tulip' }],
      'driver.get': () => source(running),
      'driver.reload': (a: { text: string }) => {
        if (a.text.includes('{{')) return { ok: false, oops };
        running = a.text;
        return { ok: true, driver: source(running) };
      },
      'driver.save': (a: { text: string }) => ({
        saved: false,
        fileName: 'tulip.js',
        text: a.text,
      }),
    });
  });

  it('opens the lab’s first student driver', async () => {
    const d = useDriverStore();
    await d.refresh();
    expect(d.current).toBe('h1/eth0');
    expect(d.text).toBe(running);
    expect(d.changed).toBe(false);
  });

  it('keeps a refused reload’s oops and says the device stays down', async () => {
    const d = useDriverStore();
    await d.refresh();
    d.text = 'export default {{\n';
    expect(d.changed).toBe(true);
    expect(await d.reload()).toBe(false);
    expect(d.oops?.line).toBe(3);
    expect(d.notice).toMatch(/stays down until a driver that loads/);
    expect(d.changed).toBe(true);
  });

  it('takes a good reload: the lab runs the edited text', async () => {
    const d = useDriverStore();
    await d.refresh();
    d.text = 'export default { open() { return 0; } };\n';
    expect(await d.reload()).toBe(true);
    expect(running).toBe(d.text);
    expect(d.changed).toBe(false);
    expect(d.oops).toBeNull();
    expect(api.opsCalled()).toContain('driver.reload');
  });

  it('a reload after the exercise ran says that only Reset runs the new driver from the start', async () => {
    const d = useDriverStore();
    const ex = useExerciseStore();
    await d.refresh();
    expect(await d.reload()).toBe(true);
    expect(ex.reloadedAfterRun).toBe(false);
    expect(d.notice).toBe("Loaded into h1's eth0");
    ex.ran = true;
    d.text = 'export default { open() { return 0; } };\n';
    expect(await d.reload()).toBe(true);
    expect(ex.reloadedAfterRun).toBe(true);
    expect(d.notice).toMatch(/already ran.*Reset \(Exercise tab\) runs it again from the start/);
  });

  it('shows an oops pushed while the lab runs: the badge, the line, the device', async () => {
    const d = useDriverStore();
    d.init();
    await d.refresh();
    const lockup = {
      message: 'Oops: watchdog: hard LOCKUP in interrupt: interrupt ran past its budget',
      title: 'Oops: watchdog: hard LOCKUP in interrupt',
      line: 405,
      op: 'interrupt',
      stack: 'at interrupt (tulip.js:405:70)',
      timeNs: 1_000_000,
    };
    // The student is on another tab, running traffic.
    useUiStore().tab = 'stats';
    api.emit('driver.report', {
      reports: [{ host: 'h1', dev: 'eth0', file: 'tulip.js', card: 'tulip', oops: lockup }],
    });
    expect(d.oops).toEqual(lockup);
    expect(d.unseen).toBe(1);
    expect(d.live.at(-1)?.oops.line).toBe(405);
    // Show in Driver: the tab opens on it, the badge goes.
    await d.show(d.live.at(-1)!);
    expect(useUiStore().tab).toBe('driver');
    expect(d.unseen).toBe(0);
    expect(d.oops?.line).toBe(405);
  });
});
