import { capableNetAdmin, type Cred } from '../netdev/cred';
import { EBUSY, EFAULT, EINVAL, EOPNOTSUPP, EPERM } from '../netdev/errno';
import { SIOCDEVPRIVATE } from '../netdev/ioctl';
import type { IfReq } from '../netdev/ops';
import type { EtherNic } from './ether-nic';
import { HW_VERDICT_NAMES } from './rx-filter';

/** Read the filter table and the hardware's filter counters. Any user. */
export const NETLAB_GET_FILTER = SIOCDEVPRIVATE;
/** Read ring, NAPI and interrupt state. Any user. */
export const NETLAB_GET_RING = SIOCDEVPRIVATE + 1;
/** Set the RX/TX ring sizes (`{ rxRing?, txRing? }`). Root only, device down. */
export const NETLAB_SET_RING = SIOCDEVPRIVATE + 2;

export interface FilterInfo {
  model: string;
  mode: string;
  bins: number[];
  /** Bins in the card's hash table (64 or 512). */
  hashBins: number;
  perfect: string[];
  perfectCapacity: number;
  rejected: number;
  accepted: Record<string, number>;
}

export interface RingInfo {
  rxRing: number;
  rxPending: number;
  txRing: number;
  txPending: number;
  copybreak: number;
  irqInterval: number;
  napiWeight: number;
  rxInterrupts: number;
  txInterrupts: number;
  polls: number;
}

/** The driver's `do_ioctl`: it, not the kernel, decides which commands need root. */
export function nicPrivateIoctl(nic: EtherNic, ifr: IfReq, cmd: number, cred: Cred): number {
  switch (cmd) {
    case NETLAB_GET_FILTER: {
      const accepted: Record<string, number> = {};
      nic.hw.acceptedBy.forEach((n, verdict) => {
        if (verdict > 0) accepted[HW_VERDICT_NAMES[verdict]] = n;
      });
      const info: FilterInfo = {
        model: nic.model.name,
        ...nic.filter.describe(),
        rejected: nic.hw.rejected,
        accepted,
      };
      ifr.data = info;
      return 0;
    }
    case NETLAB_GET_RING: {
      const info: RingInfo = {
        rxRing: nic.tuning.rxRing,
        rxPending: nic.rx?.pending ?? 0,
        txRing: nic.tuning.txRing,
        txPending: nic.tx?.count ?? 0,
        copybreak: nic.tuning.copybreak,
        irqInterval: nic.tuning.irqInterval,
        napiWeight: nic.tuning.napiWeight,
        rxInterrupts: nic.hw.rxInterrupts,
        txInterrupts: nic.hw.txInterrupts,
        polls: nic.hw.polls,
      };
      ifr.data = info;
      return 0;
    }
    case NETLAB_SET_RING: {
      if (!capableNetAdmin(cred)) return -EPERM;
      const req = ifr.data as { rxRing?: unknown; txRing?: unknown } | null | undefined;
      if (typeof req !== 'object' || req === null) return -EFAULT;
      const { rxRing, txRing } = req;
      if (rxRing !== undefined && !isRingSize(rxRing)) return -EINVAL;
      if (txRing !== undefined && !isRingSize(txRing)) return -EINVAL;
      if (nic.running) return -EBUSY;
      if (rxRing !== undefined) nic.tuning.rxRing = rxRing as number;
      if (txRing !== undefined) nic.tuning.txRing = txRing as number;
      return 0;
    }
  }
  return -EOPNOTSUPP;
}

/** A power of two from 8 to 4096, as descriptor rings are. */
export function isRingSize(n: unknown): boolean {
  return typeof n === 'number' && Number.isInteger(n) && n >= 8 && n <= 4096 && (n & (n - 1)) === 0;
}
