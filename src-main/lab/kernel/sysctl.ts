import { EINVAL, ENOENT, EPERM } from '../netdev/errno';
import { capableNetAdmin, type Cred } from '../netdev/cred';

/** One tunable under /proc/sys, with Linux's default and the range it accepts. */
interface SysctlDef {
  value: number;
  min: number;
  max: number;
}

/** Linux's defaults on a current x86-64 kernel. */
function defaults(): Record<string, SysctlDef> {
  const int = (value: number, min = 0, max = 0x7fffffff) => ({ value, min, max });
  return {
    'net.core.rmem_default': int(212992, 2304),
    'net.core.rmem_max': int(212992, 2304),
    'net.core.wmem_default': int(212992, 4608),
    'net.core.wmem_max': int(212992, 4608),
    'net.core.netdev_max_backlog': int(1000, 1),
    'net.core.netdev_budget': int(300, 1),
    'net.ipv4.ip_default_ttl': int(64, 1, 255),
    // The same setting as conf.all.forwarding (ipv4_sysctl_forward); see kernel/forwarding.ts.
    'net.ipv4.ip_forward': int(0, 0, 1),
    'net.ipv4.conf.all.forwarding': int(0, 0, 1),
    'net.ipv4.conf.default.forwarding': int(0, 0, 1),
    'net.ipv4.conf.all.send_redirects': int(1, 0, 1),
    'net.ipv4.conf.default.send_redirects': int(1, 0, 1),
    // Acting on received redirects (a host's defaults: accept, secure, shared media).
    'net.ipv4.conf.all.accept_redirects': int(1, 0, 1),
    'net.ipv4.conf.default.accept_redirects': int(1, 0, 1),
    'net.ipv4.conf.all.secure_redirects': int(1, 0, 1),
    'net.ipv4.conf.default.secure_redirects': int(1, 0, 1),
    'net.ipv4.conf.all.shared_media': int(1, 0, 1),
    'net.ipv4.conf.default.shared_media': int(1, 0, 1),
    'net.ipv4.icmp_echo_ignore_all': int(0, 0, 1),
    'net.ipv4.icmp_echo_ignore_broadcasts': int(1, 0, 1),
    'net.ipv4.icmp_ratelimit': int(1000, 0),
    'net.ipv4.icmp_ratemask': int(6168, 0),
    'net.ipv4.icmp_msgs_per_sec': int(1000, 0),
    'net.ipv4.icmp_msgs_burst': int(50, 0),
    'net.ipv4.igmp_max_memberships': int(20, 0),
    'net.ipv4.igmp_max_msf': int(10, 0),
    'net.ipv4.igmp_qrv': int(2, 1),
    'net.ipv4.igmp_link_local_mcast_reports': int(1, 0, 1),
    'net.ipv4.conf.all.force_igmp_version': int(0, 0, 3),
    'net.ipv4.conf.all.igmpv2_unsolicited_report_interval': int(10000, 0),
    'net.ipv4.conf.all.igmpv3_unsolicited_report_interval': int(1000, 0),
    'net.ipv4.conf.all.arp_ignore': int(0, 0, 2),
    // Any int, as proc_dointvec takes it; only a positive one announces (IN_DEV_MAXCONF).
    'net.ipv4.conf.all.arp_notify': int(0, -0x80000000),
    'net.ipv4.neigh.default.base_reachable_time_ms': int(30000, 1),
    'net.ipv4.neigh.default.gc_stale_time': int(60, 1),
    'net.ipv4.neigh.default.retrans_time_ms': int(1000, 1),
    'net.ipv4.neigh.default.mcast_solicit': int(3, 0, 32),
    'net.ipv4.neigh.default.unres_qlen': int(101, 0),
  };
}

/**
 * A host's sysctls: read by anyone, written only by root, and only within the
 * range the kernel accepts (EINVAL otherwise). Names use dots, as `sysctl` prints.
 */
export class Sysctls {
  private readonly table = defaults();
  /** Told of every change, so the parts that cache a value (the backlog's limit) follow it. */
  readonly listeners: ((name: string, value: number) => void)[] = [];

  /** The current value; throws for an unknown name (a bug in the caller, not user input). */
  get(name: string): number {
    const def = this.table[name];
    if (!def) throw new Error(`unknown sysctl ${name}`);
    return def.value;
  }

  /**
   * Adds a tunable that exists only while something does (an interface's
   * `net.ipv4.conf.DEV.*`), within `min`..`max`; `remove` takes it away.
   */
  register(name: string, value: number, min: number, max: number): void {
    this.table[name] = { value, min, max };
  }

  remove(name: string): void {
    delete this.table[name];
  }

  /** Sets a value the kernel itself changes (no permission or range check, no listeners). */
  poke(name: string, value: number): void {
    const def = this.table[name];
    if (def) def.value = value;
  }

  has(name: string): boolean {
    return name in this.table;
  }

  names(): string[] {
    return Object.keys(this.table).sort();
  }

  /** `sysctl -w name=value`: 0 or -ENOENT / -EPERM / -EINVAL. */
  set(name: string, value: number, cred: Cred): number {
    const def = this.table[name];
    if (!def) return -ENOENT;
    if (!capableNetAdmin(cred)) return -EPERM;
    if (!Number.isInteger(value) || value < def.min || value > def.max) return -EINVAL;
    def.value = value;
    for (const fn of this.listeners) fn(name, value);
    return 0;
  }
}
