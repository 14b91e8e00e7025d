import type { NetDevice } from '../netdev/net-device';
import type { InDevice } from './inet-device';
import type { Kernel } from './kernel';

/** The per-interface IPv4 settings the lab models (`net.ipv4.conf.DEV.*`). */
const PER_DEV = [
  'forwarding',
  'send_redirects',
  'accept_redirects',
  'secure_redirects',
  'shared_media',
] as const;
/** Settings read straight from the sysctl table (only a received redirect asks for them). */
const READ_BY_NAME = ['accept_redirects', 'secure_redirects', 'shared_media'] as const;

/**
 * `net.ipv4.conf.{all,default,DEV}.*` (net/ipv4/devinet.c) for forwarding
 * and send_redirects. Each interface gets its own entries, copied from
 * `default` when it registers. Forwarding follows `devinet_sysctl_forward`:
 * writing `net.ipv4.ip_forward` or `conf.all.forwarding` (the same setting)
 * sets every interface's and `default`'s too (`inet_forward_change`), and
 * /proc/net/snmp's Forwarding says 1 (a router) or 2; writing
 * `conf.DEV.forwarding` changes that interface alone; `conf.default` only
 * interfaces registered later. Input routing reads `InDevice.forwarding`
 * (IN_DEV_FORWARD, the receiving interface's) and sends redirects when
 * `conf.all` or the interface's `send_redirects` is on (IN_DEV_TX_REDIRECTS).
 */
export class DevConf {
  constructor(private readonly k: Kernel) {
    k.sysctl.listeners.push((name, value) => this.changed(name, value));
  }

  /** The interface's entries, from `default`'s values. */
  attach(dev: NetDevice, ind: InDevice): void {
    const s = this.k.sysctl;
    ind.forwarding = s.get('net.ipv4.conf.default.forwarding');
    ind.sendRedirects = s.get('net.ipv4.conf.default.send_redirects');
    s.register(`net.ipv4.conf.${dev.name}.forwarding`, ind.forwarding, 0, 1);
    s.register(`net.ipv4.conf.${dev.name}.send_redirects`, ind.sendRedirects, 0, 1);
    for (const f of READ_BY_NAME)
      s.register(`net.ipv4.conf.${dev.name}.${f}`, s.get(`net.ipv4.conf.default.${f}`), 0, 1);
  }

  /**
   * `IN_DEV_ORCONF` / `IN_DEV_ANDCONF` of a setting read by name: `conf.all` or (and) the
   * interface's own.
   */
  orConf(dev: NetDevice, f: (typeof READ_BY_NAME)[number]): boolean {
    const s = this.k.sysctl;
    return s.get(`net.ipv4.conf.all.${f}`) !== 0 || s.get(`net.ipv4.conf.${dev.name}.${f}`) !== 0;
  }

  andConf(dev: NetDevice, f: (typeof READ_BY_NAME)[number]): boolean {
    const s = this.k.sysctl;
    return s.get(`net.ipv4.conf.all.${f}`) !== 0 && s.get(`net.ipv4.conf.${dev.name}.${f}`) !== 0;
  }

  detach(dev: NetDevice): void {
    for (const f of PER_DEV) this.k.sysctl.remove(`net.ipv4.conf.${dev.name}.${f}`);
  }

  /** IN_DEV_TX_REDIRECTS: `conf.all` or the interface's own. */
  sendRedirects(ind: InDevice): boolean {
    return ind.sendRedirects !== 0 || this.k.sysctl.get('net.ipv4.conf.all.send_redirects') !== 0;
  }

  private changed(name: string, value: number): void {
    const k = this.k;
    if (name === 'net.ipv4.ip_forward' || name === 'net.ipv4.conf.all.forwarding') {
      // inet_forward_change
      k.sysctl.poke('net.ipv4.ip_forward', value);
      k.sysctl.poke('net.ipv4.conf.all.forwarding', value);
      k.sysctl.poke('net.ipv4.conf.default.forwarding', value);
      for (const dev of k.devices) {
        k.inDev(dev).forwarding = value;
        k.sysctl.poke(`net.ipv4.conf.${dev.name}.forwarding`, value);
      }
      k.mib.ip.Forwarding = value ? 1 : 2;
      return;
    }
    const m = /^net\.ipv4\.conf\.(.+)\.(forwarding|send_redirects)$/.exec(name);
    if (!m || m[1] === 'all' || m[1] === 'default') return;
    const dev = k.devByName(m[1]);
    if (!dev) return;
    if (m[2] === 'forwarding') k.inDev(dev).forwarding = value;
    else k.inDev(dev).sendRedirects = value;
  }
}
