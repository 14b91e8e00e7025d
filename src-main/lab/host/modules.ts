import { NIC_MODELS } from '../drivers/models';
import type { NicModelName } from '../drivers/nic-model';
import { capableNetAdmin, ROOT, type Cred } from '../netdev/cred';
import { devIoctl } from '../netdev/dev-ioctl';
import { EBUSY, ENOENT, EPERM } from '../netdev/errno';
import { IFF_UP } from '../netdev/flags';
import { SIOCSIFHWADDR, SIOCSIFMTU } from '../netdev/ioctl';
import type { NetDevice } from '../netdev/net-device';
import { ETH_DATA_LEN } from '../wire/ethernet';
import type { Host } from './host';

/** What lsmod shows of one driver. */
export interface ModuleInfo {
  /** As the kernel names modules: dashes become underscores (promisc_only). */
  name: string;
  model: NicModelName;
  size: number;
  /** Open devices of the driver: while any is up the module cannot go. */
  useCount: number;
}

/** A plausible module size for each driver (bytes, as lsmod shows it). */
const SIZES: Record<NicModelName, number> = {
  nofilter: 16384,
  hash64: 20480,
  perfect: 24576,
  'promisc-only': 16384,
};

/** `promisc-only` and `promisc_only` are the same module, as kmod normalises them. */
export function moduleModel(name: string): NicModelName | null {
  const norm = name.replace(/-/g, '_');
  for (const model of Object.keys(NIC_MODELS) as NicModelName[]) {
    if (model.replace(/-/g, '_') === norm) return model;
  }
  return null;
}

/**
 * A host's driver modules: one per NIC model. Unloading a driver unregisters
 * its devices from the kernel (they vanish from ifconfig and ip link);
 * loading it probes its cards again: each device comes back with a new
 * ifindex, down, with the card's own MAC address and the default MTU, as a
 * freshly allocated net_device would. A module is in use while one of its
 * devices is up. Only root may load or unload.
 */
export class DriverModules {
  /** Loaded modules, most recent first (the order of /proc/modules and lsmod). */
  private readonly loaded: NicModelName[] = [];
  /** Each card's burnt-in address (`perm_addr`), seen before anyone could change it. */
  private readonly permAddr = new WeakMap<NetDevice, Uint8Array>();

  constructor(private readonly host: Host) {
    // At boot, the drivers of the cards present were loaded to drive them.
    for (const nic of host.nics) {
      if (!this.loaded.includes(nic.model.name)) this.loaded.unshift(nic.model.name);
    }
    this.notePermAddrs();
  }

  isLoaded(model: NicModelName): boolean {
    this.adoptNewCards();
    return this.loaded.includes(model);
  }

  list(): ModuleInfo[] {
    this.adoptNewCards();
    return this.loaded.map((model) => ({
      name: model.replace(/-/g, '_'),
      model,
      size: SIZES[model],
      useCount: this.devicesOf(model).filter((d) => d.flags & IFF_UP).length,
    }));
  }

  /** modprobe: 0 (also when already loaded), -ENOENT for an unknown module, -EPERM. */
  load(name: string, cred: Cred): number {
    const model = moduleModel(name);
    if (model === null) return -ENOENT;
    if (this.isLoaded(model)) return 0;
    if (!capableNetAdmin(cred)) return -EPERM;
    const k = this.host.kernel;
    for (const nic of this.host.nics) {
      if (nic.model.name !== model || k.devices.includes(nic.dev)) continue;
      const dev = nic.dev;
      dev.present = true; // the probe found the card: netif_device_attach
      k.registerNetdev(dev);
      // A fresh net_device: the EEPROM's address and the default MTU.
      const perm = this.permAddr.get(dev);
      if (perm) devIoctl(dev, SIOCSIFHWADDR, { hwaddr: perm }, ROOT);
      devIoctl(dev, SIOCSIFMTU, { mtu: ETH_DATA_LEN }, ROOT);
    }
    this.loaded.unshift(model);
    return 0;
  }

  /**
   * rmmod: -ENOENT when not loaded, -EBUSY while a device of it is up, -EPERM
   * for a user (kmod checks in that order), else 0 with its devices gone.
   */
  unload(name: string, cred: Cred): number {
    const model = moduleModel(name);
    if (model === null || !this.isLoaded(model)) return -ENOENT;
    const devs = this.devicesOf(model);
    if (devs.some((d) => d.flags & IFF_UP)) return -EBUSY;
    if (!capableNetAdmin(cred)) return -EPERM;
    for (const dev of devs) this.host.kernel.unregisterNetdev(dev);
    this.loaded.splice(this.loaded.indexOf(model), 1);
    return 0;
  }

  /** The registered devices the driver drives. */
  devicesOf(model: NicModelName): NetDevice[] {
    const k = this.host.kernel;
    return this.host.nics
      .filter((n) => n.model.name === model && k.devices.includes(n.dev))
      .map((n) => n.dev);
  }

  /** Cards added after boot were registered by the lab, so their driver is loaded. */
  private adoptNewCards(): void {
    const k = this.host.kernel;
    for (const nic of this.host.nics) {
      const model = nic.model.name;
      if (!this.loaded.includes(model) && k.devices.includes(nic.dev)) this.loaded.unshift(model);
    }
    this.notePermAddrs();
  }

  private notePermAddrs(): void {
    for (const nic of this.host.nics) {
      if (!this.permAddr.has(nic.dev)) this.permAddr.set(nic.dev, nic.dev.devAddr.slice());
    }
  }
}

const byHost = new WeakMap<Host, DriverModules>();

/** The host's module table (one per host, made on first use). */
export function driverModules(host: Host): DriverModules {
  let m = byHost.get(host);
  if (!m) {
    m = new DriverModules(host);
    byHost.set(host, m);
  }
  return m;
}
