import { formatMac, macKey } from '../wire/mac';

/** One hardware multicast address on a device (`struct netdev_hw_addr`). */
export interface McAddr {
  readonly addr: Uint8Array;
  /** The address as a 48-bit integer, for filters. */
  readonly key: number;
  /** References from the stack (each IP group join, each SIOCADDMULTI). */
  refcount: number;
  /** Set while a user holds it through SIOCADDMULTI: that holds one reference at most. */
  globalUse: boolean;
}

/**
 * A device's multicast list (`netdev_hw_addr_list`): reference counted, in the
 * order addresses were added, so a perfect filter takes the first N.
 */
export class McList {
  private readonly entries: McAddr[] = [];

  get count(): number {
    return this.entries.length;
  }

  [Symbol.iterator](): Iterator<McAddr> {
    return this.entries[Symbol.iterator]();
  }

  find(key: number): McAddr | undefined {
    return this.entries.find((e) => e.key === key);
  }

  /** `__hw_addr_add_ex`: returns true when the address is new to the list. */
  add(addr: Uint8Array, global: boolean): boolean {
    const key = macKey(addr);
    const existing = this.find(key);
    if (existing) {
      if (global) {
        if (existing.globalUse) return false;
        existing.globalUse = true;
      }
      existing.refcount++;
      return false;
    }
    this.entries.push({ addr: addr.slice(0, 6), key, refcount: 1, globalUse: global });
    return true;
  }

  /**
   * `__hw_addr_del_ex`: drops one reference. Returns -1 when the address is not
   * there (or, for a global delete, not held globally), 1 when it was removed,
   * 0 when references remain.
   */
  del(addr: Uint8Array, global: boolean): number {
    const key = macKey(addr);
    const i = this.entries.findIndex((e) => e.key === key);
    if (i < 0) return -1;
    const e = this.entries[i];
    if (global) {
      if (!e.globalUse) return -1;
      e.globalUse = false;
    }
    if (--e.refcount > 0) return 0;
    this.entries.splice(i, 1);
    return 1;
  }

  clear(): void {
    this.entries.length = 0;
  }

  toStrings(): string[] {
    return this.entries.map((e) => formatMac(e.addr));
  }
}
