import { describe, expect, it } from 'vitest';
import { Lab } from '../../lab';
import { MS } from '../../sim/time';
import { Shell } from './shell';

function pair() {
  const lab = new Lab({ seed: 3 });
  const h0 = lab.addHost('h0');
  const h1 = lab.addHost('h1');
  lab.addInterface(h0, { model: 'nofilter', ip: '10.0.0.1/24' });
  lab.addInterface(h1, { model: 'hash64', ip: '10.0.0.2/24' });
  lab.run(MS);
  return { lab, h0, sh0: new Shell(h0) };
}

describe('cable', () => {
  it('unplugs a card: carrier goes, sends fail as carrier errors; plugging back brings it up', () => {
    const { lab, h0, sh0 } = pair();
    expect(sh0.exec('cable eth0').output).toEqual(['eth0: cable plugged in']);
    const sentBefore = h0.nics[0].stats.tx_packets;
    const pulled = sh0.exec('cable eth0 unplug');
    expect(pulled.exitCode).toBe(0);
    expect(sh0.exec('cable eth0').output).toEqual(['eth0: cable unplugged']);
    expect(sh0.exec('ip link show eth0').output[0]).toContain(
      '<NO-CARRIER,BROADCAST,MULTICAST,UP>',
    );
    expect(sh0.exec('ifconfig eth0').output[0]).not.toContain('RUNNING');
    const ping = sh0.exec('ping -c 1 10.0.0.2');
    while (!ping.done) lab.run(10 * MS);
    const stats = h0.nics[0].stats;
    expect(stats.tx_carrier_errors).toBeGreaterThan(0);
    expect(stats.tx_errors).toBe(stats.tx_carrier_errors);
    expect(stats.tx_packets).toBe(sentBefore);
    expect(sh0.exec('cable eth0 plug').exitCode).toBe(0);
    expect(sh0.exec('ip link show eth0').output[0]).toContain('UP,LOWER_UP');
  });

  it('is the lab hand, not a kernel call: any user may pull a cable', () => {
    const { sh0 } = pair();
    sh0.exec('su user');
    expect(sh0.exec('cable eth0 unplug').exitCode).toBe(0);
    expect(sh0.exec('cable eth0').output).toEqual(['eth0: cable unplugged']);
  });

  it('names what is wrong with its arguments', () => {
    const { sh0 } = pair();
    for (const line of ['cable', 'cable eth0 pull', 'cable eth0 plug now']) {
      const job = sh0.exec(line);
      expect(job.output, line).toEqual(['Usage: cable DEV [plug|unplug]']);
      expect(job.exitCode, line).toBe(1);
    }
    const none = sh0.exec('cable eth7 unplug');
    expect(none.output).toEqual(['cable: eth7: no such card with a cable on this host']);
    expect(none.exitCode).toBe(1);
  });
});
