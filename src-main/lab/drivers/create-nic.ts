import { EBUSY, EINVAL } from '../netdev/errno';
import { ethMacAddr } from '../netdev/dev-addr';
import { IFF_UP } from '../netdev/flags';
import type { Ifmap } from '../netdev/ifmap';
import { NetDevice } from '../netdev/net-device';
import type { NetDeviceOps } from '../netdev/ops';
import { isValidEtherAddr } from '../wire/mac';
import { DEFAULT_TUNING, EtherNic, type NicTuning } from './ether-nic';
import type { Machine } from './machine';
import { NIC_MODELS } from './models';
import type { NicModelName } from './nic-model';
import { nicPrivateIoctl } from './private-ioctl';

export interface NicConfig extends Partial<NicTuning> {
  model: NicModelName;
  /** Interface name, e.g. eth0. */
  name: string;
  mac: Uint8Array;
  /** Defaults to the model's first line no other card of the machine was given. */
  irq?: number;
  baseAddr?: number;
}

const nicOf = (dev: NetDevice) => dev.priv as EtherNic;

/** The ops every model shares; the MAC op depends on the model's policy. */
const COMMON_OPS = {
  open: (dev) => nicOf(dev).open(dev),
  stop: (dev) => nicOf(dev).stop(dev),
  hardStartXmit: (skb, dev) => nicOf(dev).hardStartXmit(skb, dev),
  getStats: (dev) => nicOf(dev).stats,
  setConfig: (dev, map) => setConfig(nicOf(dev), map),
  doIoctl: (dev, ifr, cmd, cred) => nicPrivateIoctl(nicOf(dev), ifr, cmd, cred),
  setMulticastList: (dev) => nicOf(dev).setMulticastList(dev),
  changeMtu: (dev, mtu) => nicOf(dev).changeMtu(dev, mtu),
} satisfies NetDeviceOps;

const OPS_BY_MAC_POLICY: Record<string, NetDeviceOps> = {
  anytime: { ...COMMON_OPS, setMacAddress: (dev, addr) => setMac(dev, addr, true) },
  'down-only': { ...COMMON_OPS, setMacAddress: (dev, addr) => setMac(dev, addr, false) },
  unsupported: COMMON_OPS,
};

/** Builds a card of `config.model` in `machine`, down, with its net_device. */
export function createNic(machine: Machine, config: NicConfig): EtherNic {
  const model = NIC_MODELS[config.model];
  if (!model) throw new Error(`unknown NIC model '${config.model}'`);
  if (!isValidEtherAddr(config.mac)) throw new Error(`${config.name}: not a usable MAC address`);
  const nic = new EtherNic(machine, model, tuningOf(config, model.napi));
  const dev = new NetDevice(config.name, OPS_BY_MAC_POLICY[model.macPolicy]);
  dev.priv = nic;
  nic.dev = dev;
  dev.devAddr.set(config.mac);
  dev.maxMtu = model.maxMtu;
  dev.irq = config.irq ?? machine.assignIrq(model.irqs);
  dev.baseAddr = config.baseAddr ?? model.ioBases[0];
  // I/O-mapped cards: no shared memory, so mem_start/mem_end stay 0 (ifconfig prints no
  // `memory`); the I/O range is base_addr and the model's extent.
  dev.ifPort = model.ports[0];
  nic.refreshOwnKey();
  return nic;
}

/** The tuning the config sets; cards without NAPI default to one interrupt per frame. */
function tuningOf(config: NicConfig, napi: boolean): Partial<NicTuning> {
  const tuning: Partial<NicTuning> = napi ? {} : { irqInterval: 0 };
  for (const key of Object.keys(DEFAULT_TUNING) as (keyof NicTuning)[]) {
    if (config[key] !== undefined) Object.assign(tuning, { [key]: config[key] });
  }
  return tuning;
}

function setMac(dev: NetDevice, addr: Uint8Array, liveChange: boolean): number {
  const ret = ethMacAddr(dev, addr, liveChange);
  if (ret === 0) nicOf(dev).refreshOwnKey();
  return ret;
}

/**
 * `ndo_set_config`: the card moves only to lines and bases its jumpers offer,
 * and not while it is up. The cards have no shared memory and no DMA.
 */
function setConfig(nic: EtherNic, map: Ifmap): number {
  const dev = nic.dev;
  const model = nic.model;
  for (const v of [map.baseAddr, map.irq, map.port, map.dma, map.memStart, map.memEnd]) {
    if (!Number.isInteger(v) || v < 0) return -EINVAL;
  }
  if (!model.irqs.includes(map.irq) || !model.ioBases.includes(map.baseAddr)) return -EINVAL;
  if (!model.ports.includes(map.port) || map.dma !== 0) return -EINVAL;
  const moves = map.irq !== dev.irq || map.baseAddr !== dev.baseAddr;
  if (moves && dev.flags & IFF_UP) return -EBUSY;
  dev.irq = map.irq;
  dev.baseAddr = map.baseAddr;
  dev.ifPort = map.port;
  return 0;
}
