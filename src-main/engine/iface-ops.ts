// Interface operations, each done the way a Linux tool does it: through dev_ioctl (flags as
// ifconfig's read-modify-write, the ifmap as get-then-set), or through a socket for group joins.
// They run as root unless the request says `user`, so the API can show what an unprivileged
// user is refused. A refusal is a result, not an error: the request was fine, the kernel said no.
import { changeFlags } from '../lab/host/shell/devices';
import { apiError } from '../ipc/errors';
import { ROOT, USER, type Cred } from '../lab/netdev/cred';
import { devIoctl } from '../lab/netdev/dev-ioctl';
import { EADDRNOTAVAIL, EADDRINUSE, errnoName, strerror } from '../lab/netdev/errno';
import { IFF_ALLMULTI, IFF_PROMISC, IFF_RUNNING, IFF_UP } from '../lab/netdev/flags';
import {
  ioctlName,
  SIOCADDMULTI,
  SIOCDELMULTI,
  SIOCDEVPRIVATE,
  SIOCGIFFLAGS,
  SIOCGIFMAP,
  SIOCSIFFLAGS,
  SIOCSIFHWADDR,
  SIOCSIFMAP,
  SIOCSIFMTU,
  SIOCSIFTXQLEN,
} from '../lab/netdev/ioctl';
import type { IfReq } from '../lab/netdev/ops';
import { formatIpv4, parseIpv4 } from '../lab/wire/ipv4-addr';
import { parseMac } from '../lab/wire/mac';
import type { OpParsedArgs, OpResult } from '../ipc/ops';
import type { ErrnoReply } from '../ipc/views';
import type { LabState } from './lab-state';
import { interfaceView } from './views';

type IfaceResult = OpResult<'iface.up'>;
interface Target {
  host: string;
  dev: string;
  user?: boolean | undefined;
}

export function refusal(ret: number, cmd?: number): ErrnoReply {
  const r: ErrnoReply = {
    ok: false,
    errno: errnoName(ret),
    code: Math.abs(ret),
    message: strerror(ret),
  };
  if (cmd !== undefined) r.ioctl = ioctlName(cmd);
  return r;
}

function credOf(t: Target): Cred {
  return t.user ? USER : ROOT;
}

/** Runs `act` (0 or a negative errno) and answers with the interface afterwards or the refusal. */
function afterwards(
  state: LabState,
  t: Target,
  act: () => { ret: number; cmd?: number },
): IfaceResult {
  const { host, nic } = state.nic(t.host, t.dev);
  const { ret, cmd } = act();
  if (ret < 0) return refusal(ret, cmd);
  return { ok: true, iface: interfaceView(state, host, nic) };
}

/** ifconfig's set_flag/clr_flag: SIOCGIFFLAGS, change bits, SIOCSIFFLAGS. */
function flags(state: LabState, t: Target, set: number, clear: number): IfaceResult {
  const { host } = state.nic(t.host, t.dev);
  return afterwards(state, t, () => {
    const r = changeFlags(host.kernel, t.dev, set, clear, credOf(t));
    return r === null
      ? { ret: 0 }
      : { ret: r.err, cmd: r.step === 'get' ? SIOCGIFFLAGS : SIOCSIFFLAGS };
  });
}

/** One set ioctl on the device. */
function ioctl(state: LabState, t: Target, cmd: number, ifr: IfReq): IfaceResult {
  const { nic } = state.nic(t.host, t.dev);
  return afterwards(state, t, () => ({ ret: devIoctl(nic.dev, cmd, ifr, credOf(t)), cmd }));
}

function mac(text: string): Uint8Array {
  const m = parseMac(text);
  if (!m) throw apiError('bad-request', `"${text}" is not a MAC address`, 'args.mac');
  return m;
}

export const ifaceOps = {
  'iface.up': (s: LabState, a: OpParsedArgs<'iface.up'>) => flags(s, a, IFF_UP | IFF_RUNNING, 0),
  'iface.down': (s: LabState, a: OpParsedArgs<'iface.down'>) => flags(s, a, 0, IFF_UP),
  'iface.setFlag': (s: LabState, a: OpParsedArgs<'iface.setFlag'>) => {
    const bit = a.flag === 'promisc' ? IFF_PROMISC : IFF_ALLMULTI;
    return a.on ? flags(s, a, bit, 0) : flags(s, a, 0, bit);
  },
  'iface.setMac': (s: LabState, a: OpParsedArgs<'iface.setMac'>) =>
    ioctl(s, a, SIOCSIFHWADDR, { hwaddr: mac(a.mac) }),
  'iface.setMtu': (s: LabState, a: OpParsedArgs<'iface.setMtu'>) =>
    ioctl(s, a, SIOCSIFMTU, { mtu: a.mtu }),
  'iface.setTxQueueLen': (s: LabState, a: OpParsedArgs<'iface.setTxQueueLen'>) =>
    ioctl(s, a, SIOCSIFTXQLEN, { qlen: a.qlen }),
  'iface.setMap': (s: LabState, a: OpParsedArgs<'iface.setMap'>) => {
    const { nic } = s.nic(a.host, a.dev);
    return afterwards(s, a, () => {
      const ifr: IfReq = {};
      const got = devIoctl(nic.dev, SIOCGIFMAP, ifr, credOf(a));
      if (got < 0) return { ret: got, cmd: SIOCGIFMAP };
      const map = ifr.map!;
      if (a.irq !== undefined) map.irq = a.irq;
      if (a.io !== undefined) map.baseAddr = a.io;
      return { ret: devIoctl(nic.dev, SIOCSIFMAP, { map }, credOf(a)), cmd: SIOCSIFMAP };
    });
  },
  'iface.addMulti': (s: LabState, a: OpParsedArgs<'iface.addMulti'>) =>
    ioctl(s, a, SIOCADDMULTI, { hwaddr: mac(a.mac) }),
  'iface.delMulti': (s: LabState, a: OpParsedArgs<'iface.delMulti'>) =>
    ioctl(s, a, SIOCDELMULTI, { hwaddr: mac(a.mac) }),

  /** IP_ADD_MEMBERSHIP on a socket of the API's own, held until `iface.leave` or the lab closes. */
  'iface.join': (s: LabState, a: OpParsedArgs<'iface.join'>) => {
    const { host, nic } = s.nic(a.host, a.dev);
    const group = group4(a.group);
    const key = `${a.host}/${a.dev}/${formatIpv4(group)}`;
    return afterwards(s, a, () => {
      if (s.joins.has(key) || s.hasApp(key)) return { ret: -EADDRINUSE };
      if (a.port !== undefined) {
        s.openApp(key, { host, nic, group, port: a.port, rcvbuf: a.rcvbuf, readRate: a.readRate });
        return { ret: 0 };
      }
      const udp = host.kernel.udp;
      const sock = udp.socket();
      const ret = udp.addMembership(sock, group, nic.dev);
      if (ret < 0) udp.close(sock);
      else s.joins.set(key, sock);
      return { ret };
    });
  },
  'iface.leave': (s: LabState, a: OpParsedArgs<'iface.leave'>) => {
    const { host, nic } = s.nic(a.host, a.dev);
    const group = group4(a.group);
    const key = `${a.host}/${a.dev}/${formatIpv4(group)}`;
    return afterwards(s, a, () => {
      if (s.closeApp(key)) return { ret: 0 };
      const sock = s.joins.get(key);
      if (!sock) return { ret: -EADDRNOTAVAIL };
      const ret = host.kernel.udp.dropMembership(sock, group, nic.dev);
      host.kernel.udp.close(sock);
      s.joins.delete(key);
      return { ret };
    });
  },

  /** SIOCDEVPRIVATE + cmd: what the driver answers, or its refusal. */
  'iface.ioctl': (s: LabState, a: OpParsedArgs<'iface.ioctl'>): OpResult<'iface.ioctl'> => {
    const { nic } = s.nic(a.host, a.dev);
    const cmd = SIOCDEVPRIVATE + a.cmd;
    const ifr: IfReq = { data: a.data ?? null };
    const ret = devIoctl(nic.dev, cmd, ifr, credOf(a));
    if (ret < 0) return refusal(ret, cmd);
    // The driver's answer is plain data; a JSON round trip keeps it so across any transport.
    return { ok: true, data: ifr.data === undefined ? null : JSON.parse(JSON.stringify(ifr.data)) };
  },
};

function group4(text: string): number {
  const g = parseIpv4(text);
  if (g === null) throw apiError('bad-request', `"${text}" is not an IPv4 address`, 'args.group');
  return g;
}
