import { describe, expect, it } from 'vitest';
import { Lab } from '../lab';
import { MS } from '../sim/time';
import { crc32 } from '../wire/crc32';
import { EthernetView } from '../wire/ethernet';
import { parseIpv4 } from '../wire/ipv4-addr';
import { parseMac } from '../wire/mac';
import { ExternalPort } from './external-port';

function lab2() {
  const lab = new Lab({ seed: 1 });
  const h1 = lab.addHost('h1');
  lab.addInterface(h1, { model: 'perfect', ip: '10.0.0.2/24' });
  const port = new ExternalPort('outside', lab.segment);
  return { lab, h1, port };
}

describe('ExternalPort', () => {
  it('hands the outside every frame on the wire and puts outside frames on it', () => {
    const { lab, h1, port } = lab2();
    const seen: Uint8Array[] = [];
    port.onFrame = (b, len) => seen.push(b.slice(0, len));
    const tx = h1.kernel.udp.socket();
    tx.mcIf = h1.nics[0].dev ?? null;
    h1.kernel.udp.sendto(tx, null, 18, parseIpv4('10.0.0.255')!, 9);
    lab.run(MS);
    expect(seen.some((f) => f.length === 60 && f[0] === 0xff)).toBe(true); // the broadcast, without FCS
    // A frame from outside to h1's MAC, broadcast ARP-less: an Ethernet frame of an unknown type.
    const frame = new Uint8Array(40);
    EthernetView.write(frame, 0, h1.nics[0].dev.devAddr, parseMac('02:aa:00:00:00:01')!, 0x88b5);
    expect(port.send(frame)).toBe(true);
    lab.run(MS);
    expect(port.stats.fromOutside).toBe(1);
    expect(h1.nics[0].stats.rx_packets).toBeGreaterThanOrEqual(1);
    expect(h1.kernel.unknownProtocol).toBe(1);
  });

  it('counts and drops datagrams that cannot be frames', () => {
    const { port } = lab2();
    expect(port.send(new Uint8Array(13))).toBe(false);
    expect(port.send(new Uint8Array(1519))).toBe(false);
    expect(port.stats.malformed).toBe(2);
  });

  it('sends raw wire bytes as given: runts, giants and bad FCSs reach the NIC as such', () => {
    const { lab, h1, port } = lab2();
    const dst = h1.nics[0].dev.devAddr;
    const withFcs = (len: number, good: boolean) => {
      const b = new Uint8Array(len);
      EthernetView.write(b, 0, dst, parseMac('02:aa:00:00:00:01')!, 0x88b5);
      const fcs = crc32(b, 0, len - 4) ^ (good ? 0 : 1);
      b.set([fcs & 0xff, (fcs >>> 8) & 0xff, (fcs >>> 16) & 0xff, fcs >>> 24], len - 4);
      return b;
    };
    port.sendRaw(withFcs(40, true)); // a runt
    port.sendRaw(withFcs(1600, true)); // a giant
    port.sendRaw(withFcs(64, false)); // a bad FCS
    port.sendRaw(withFcs(64, true)); // a good frame
    lab.run(MS);
    expect(h1.nics[0].stats).toMatchObject({
      rx_length_errors: 2,
      rx_crc_errors: 1,
      rx_errors: 3,
      rx_packets: 1,
    });
    lab.teardown();
    expect(lab.pool.outstanding).toBe(0);
  });
});
