import { ENOENT } from '../../netdev/errno';
import type { Kernel } from '../kernel';
import { renderArp } from './arp';
import { renderDevMcast } from './dev-mcast';
import { renderIgmp } from './igmp';
import { renderInterrupts } from './interrupts';
import { renderNetDev } from './net-dev';
import { renderNetstat } from './netstat';
import { renderRtCache } from './rt-cache';
import { renderSnmp } from './snmp';
import { renderSoftnetStat } from './softnet';

type Renderer = (k: Kernel) => string;

const FILES: Record<string, Renderer> = {
  '/proc/interrupts': (k) => renderInterrupts(k.machine),
  '/proc/net/arp': (k) => renderArp(k),
  '/proc/net/dev': (k) => renderNetDev(k),
  '/proc/net/dev_mcast': (k) => renderDevMcast(k),
  '/proc/net/igmp': (k) => renderIgmp(k),
  '/proc/net/netstat': (k) => renderNetstat(k),
  '/proc/net/snmp': (k) => renderSnmp(k),
  '/proc/net/softnet_stat': (k) => renderSoftnetStat(k.machine.softnet),
  '/proc/net/stat/rt_cache': (k) => renderRtCache(k),
};

const SYS = '/proc/sys/';

/** `/proc//net/./dev/` is `/proc/net/dev`, as the kernel's path walk sees it. */
export function normalizeProcPath(path: string): string {
  const parts: string[] = [];
  for (const p of path.split('/')) {
    if (p === '' || p === '.') continue;
    if (p === '..') parts.pop();
    else parts.push(p);
  }
  return '/' + parts.join('/');
}

/** `/proc/sys/net/core/rmem_max` ↔ `net.core.rmem_max`; null for a path outside /proc/sys. */
export function sysctlNameOf(path: string): string | null {
  const p = normalizeProcPath(path);
  return p.startsWith(SYS) ? p.slice(SYS.length).split('/').join('.') : null;
}

export function sysctlPathOf(name: string): string {
  return SYS + name.split('.').join('/');
}

/** Reads a /proc file: its text, or -ENOENT. */
export function procRead(k: Kernel, path: string): string | number {
  const p = normalizeProcPath(path);
  const render = FILES[p];
  if (render) return render(k);
  const name = sysctlNameOf(p);
  if (name !== null && k.sysctl.has(name)) return `${k.sysctl.get(name)}\n`;
  return -ENOENT;
}

/** Is `path` a directory of the lab's /proc (so `cat` can say so)? */
export function procIsDir(k: Kernel, path: string): boolean {
  const p = normalizeProcPath(path);
  if (p === '/proc' || p === '/proc/net' || p === '/proc/net/stat' || p === '/proc/sys')
    return true;
  const name = sysctlNameOf(p);
  return name !== null && k.sysctl.names().some((n) => n.startsWith(name + '.'));
}
