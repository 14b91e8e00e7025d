import { describe, expect, it } from 'vitest';
import { Lab } from '../lab';
import { ROOT } from '../netdev/cred';
import { MS } from '../sim/time';
import { UdpReader } from './udp-reader';

describe('UdpReader', () => {
  it('gives its timer back when stopped, so readers started and stopped all day leave no slot', () => {
    const lab = new Lab({ seed: 5 });
    const h = lab.addHost('h');
    lab.addInterface(h, { model: 'hash64', ip: '10.0.0.1/24' });
    lab.run(MS);
    const k = h.kernel;
    const inUse = k.timers.inUse;
    const sock = k.udp.socket();
    sock.mcIf = k.devices[1] ?? null;
    expect(k.udp.bind(sock, 0, 5000, ROOT)).toBe(0);
    let reader = new UdpReader(k, sock, 1000);
    const slots = k.timers.slots;
    for (let i = 0; i < 300; i++) {
      lab.run(MS); // its read timer is armed when it stops
      reader.stop();
      reader = new UdpReader(k, sock, i % 2 ? 1000 : Infinity);
    }
    reader.stop();
    reader.stop(); // stopping twice gives nothing back twice
    expect(k.timers.inUse).toBe(inUse);
    expect(k.timers.slots).toBe(slots);
    k.udp.close(sock);
    lab.teardown();
  });
});
