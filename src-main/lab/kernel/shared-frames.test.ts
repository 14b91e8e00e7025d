import { describe, expect, it } from 'vitest';
import { Lab } from '../lab';
import { ROOT } from '../netdev/cred';
import { ExternalPort } from '../segment/external-port';
import { WIRE_OK } from '../segment/segment';
import { MS } from '../sim/time';
import { ETH_FCS_LEN } from '../wire/ethernet';
import { parseIpv4 } from '../wire/ipv4-addr';

/**
 * Receivers reference each wire frame's bytes instead of copying them
 * (skb/lender.ts), and share the verdicts of checks on them. What a user must
 * see is unchanged: every socket reads exactly the bytes that were sent, and
 * every host refuses a bad checksum on its own account.
 */

const G = parseIpv4('239.1.1.1')!;
const PORT = 5000;

function group(receivers = 3) {
  const lab = new Lab({ seed: 3 });
  const h0 = lab.addHost('h0');
  lab.addInterface(h0, { model: 'nofilter', ip: '10.0.0.1/24' });
  const rx = Array.from({ length: receivers }, (_, i) => {
    const h = lab.addHost(`h${i + 1}`);
    lab.addInterface(h, { model: 'perfect', ip: `10.0.0.${i + 2}/24` });
    const s = h.kernel.udp.socket();
    s.mcIf = h.nics[0].dev ?? null;
    h.kernel.udp.bind(s, 0, PORT, ROOT);
    h.kernel.udp.addMembership(s, G, h.nics[0].dev);
    h.kernel.udp.setRcvbuf(s, 200_000);
    return { h, s };
  });
  lab.run(10 * MS); // IGMP reports, ARP announcements
  return { lab, h0, rx };
}

describe('wire frames shared by their receivers', () => {
  it('every socket reads back the bytes sent, while the wire has long moved on to other frames', () => {
    const { lab, h0, rx } = group();
    const tx = h0.kernel.udp.socket();
    tx.mcIf = h0.nics[0].dev ?? null;
    const payload = new Uint8Array(40);
    for (let n = 0; n < 300; n++) {
      for (let i = 0; i < payload.length; i++) payload[i] = (n * 7 + i) & 0xff;
      expect(h0.kernel.udp.sendto(tx, payload, payload.length, G, PORT)).toBe(40);
    }
    lab.run(50 * MS); // all on the wire and queued at the sockets, none read yet
    const out = new Uint8Array(64);
    for (const { h, s } of rx) {
      expect(s.queued, h.name).toBe(300);
      for (let n = 0; n < 300; n++) {
        expect(h.kernel.udp.recv(s, out)).toBe(40);
        for (let i = 0; i < 40; i++) {
          if (out[i] !== ((n * 7 + i) & 0xff)) {
            throw new Error(`${h.name}: datagram ${n} byte ${i} is ${out[i]}`);
          }
        }
      }
    }
    lab.teardown();
    expect(lab.pool.outstanding).toBe(0);
  });

  it('each host refuses a bad UDP or IP header checksum itself, and takes the good frame after it', () => {
    const { lab, h0, rx } = group();
    const port = new ExternalPort('x', lab.segment);
    let sent: Uint8Array | null = null;
    lab.segment.taps.push((frame, outcome, wireLen) => {
      if (sent === null && outcome === WIRE_OK && frame.buf[23] === 17) {
        sent = frame.buf.slice(0, wireLen - ETH_FCS_LEN);
      }
    });
    const tx = h0.kernel.udp.socket();
    tx.mcIf = h0.nics[0].dev ?? null;
    h0.kernel.udp.sendto(tx, Uint8Array.of(1, 2, 3, 4), 4, G, PORT);
    lab.run(MS);
    expect(sent).not.toBeNull();
    const good = sent!;
    for (const { s } of rx) expect(s.queued).toBe(1);

    const badUdp = good.slice();
    badUdp[14 + 20 + 8] ^= 0xff; // a payload byte: the UDP checksum no longer matches
    const badIp = good.slice();
    badIp[14 + 1] ^= 0x10; // the TOS, without fixing the header checksum
    for (const bytes of [badUdp, badIp, badUdp, good]) {
      port.send(bytes);
      lab.run(MS);
    }
    for (const { h, s } of rx) {
      expect(h.kernel.mib.udp.InCsumErrors, h.name).toBe(2);
      expect(h.kernel.mib.ip.InHdrErrors, h.name).toBe(1);
      expect(s.queued, h.name).toBe(2);
    }
    lab.teardown();
    expect(lab.pool.outstanding).toBe(0);
  });
});
