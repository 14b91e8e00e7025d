import { z } from 'zod';
import { REGISTER_CARDS, REGISTER_CARD_NAMES } from '../../drivers/cards';
import { NIC_MODELS } from '../../drivers/models';
import type { NicModelName, PerfectFallback } from '../../drivers/nic-model';
import {
  hex,
  hostName,
  ifAddress,
  ifName,
  ioBase,
  multicastGroup,
  port,
  unicastMac,
} from './addresses';
import { readRate } from './amounts';
import { noSuchDev } from './cross-check';
import { effectiveIrqs } from './defaults';
import { describeValue } from '../units';
import {
  CLEAN,
  LOCAL,
  bool,
  duration,
  failedFields,
  int,
  list,
  oneOf,
  parsed,
  strictMap,
} from './fields';
import { sysctlMap } from './sysctls';

// The `hosts:` section: each host, its interfaces (NIC model, resources, MAC, addresses) and joins.

export const NIC_NAMES = [
  'nofilter',
  'hash64',
  'perfect',
  'promisc-only',
] as const satisfies readonly NicModelName[];

/** What `nic:` takes: a built-in model, or a register-level card a driver (the student's) runs. */
export const CARD_NAMES = [...NIC_NAMES, ...REGISTER_CARD_NAMES] as const;
export type CardName = (typeof CARD_NAMES)[number];

/** The resources a card's jumpers offer and its largest MTU, whichever kind it is. */
export function cardResources(nic: CardName): {
  irqs: readonly number[];
  ioBases: readonly number[];
  maxMtu: number;
} {
  if (nic in REGISTER_CARDS)
    return { ...REGISTER_CARDS[nic as keyof typeof REGISTER_CARDS], maxMtu: 1500 };
  return NIC_MODELS[nic as NicModelName];
}

export const isRegisterCard = (nic: string): nic is keyof typeof REGISTER_CARDS =>
  nic in REGISTER_CARDS;

/** A driver file: a path relative to the lab file, without `..`, ending in .js. */
export const driverFile = parsed<string>('a driver file such as my-ne2k.js', (input) =>
  typeof input === 'string' &&
  input.length <= 255 &&
  /^[A-Za-z0-9_][A-Za-z0-9_./-]*\.js$/.test(input) &&
  !input.split('/').includes('..')
    ? { value: input }
    : {
        error: `expected a driver file such as my-ne2k.js (a .js path relative to the lab file, without ".."), got ${describeValue(input)}`,
      },
);

export const RING = 'a power of two from 8 to 4096';
export const ring = int(8, 4096, RING).superRefine((v, ctx) => {
  if ((v & (v - 1)) !== 0) ctx.addIssue({ code: 'custom', message: `expected ${RING}, got ${v}` });
});

export const interfaceSchema = strictMap(
  {
    name: ifName,
    nic: oneOf(CARD_NAMES),
    driver: strictMap({ file: driverFile }, 'a driver such as { file: my-ne2k.js }').optional(),
    ip: ifAddress.optional(),
    mac: unicastMac.optional(),
    up: bool.optional(),
    irq: int(0, 15, 'an IRQ line from 0 to 15').optional(),
    io: ioBase.optional(),
    mtu: int(68, 65535, 'an MTU from 68 to 65535').optional(),
    promisc: bool.optional(),
    allmulti: bool.optional(),
    rxRing: ring.optional(),
    txRing: ring.optional(),
    entries: int(8, 16, '8 or 16')
      .superRefine((v, ctx) => {
        if (v !== 8 && v !== 16)
          ctx.addIssue({ code: 'custom', message: `expected 8 or 16, got ${v}` });
      })
      .optional(),
    fallback: oneOf(['hash', 'allmulti'] as const satisfies readonly PerfectFallback[]).optional(),
    napiWeight: int(1, 1024).optional(),
    irqInterval: duration(0, 10e6, 'an interrupt interval').optional(),
    copybreak: int(0, 65535).optional(),
    txQueueLen: int(0, 1_000_000).optional(),
  },
  'an interface such as { name: eth0, nic: hash64, ip: 10.0.0.1/24 }',
).superRefine((iface, ctx) => {
  const failed = failedFields(ctx);
  if (failed.has('nic')) return;
  const model = { name: iface.nic, ...cardResources(iface.nic) };
  const ok = (field: keyof typeof iface) => iface[field] !== undefined && !failed.has(field);
  const add = (field: string, message: string) =>
    ctx.addIssue({ code: 'custom', path: [field], message });
  if (isRegisterCard(iface.nic)) {
    // The driver, not the core, decides rings and interrupts on a register-level card.
    for (const field of ['rxRing', 'txRing', 'napiWeight', 'irqInterval', 'copybreak'] as const) {
      if (ok(field))
        add(
          field,
          `${field} applies to the built-in models; on nic: ${iface.nic} the driver decides it`,
        );
    }
  } else if (ok('driver'))
    add(
      'driver',
      `driver applies to register-level cards (nic: ${REGISTER_CARD_NAMES.join(', ')}); ${iface.nic} is a built-in model with its own driver`,
    );
  if (ok('irq') && !model.irqs.includes(iface.irq!))
    add(
      'irq',
      `expected an IRQ line a ${model.name} card can use (${model.irqs.join(', ')}), got ${iface.irq}`,
    );
  if (ok('io') && !model.ioBases.includes(iface.io!))
    add(
      'io',
      `expected an I/O base a ${model.name} card can use (${model.ioBases.map(hex).join(', ')}), got ${hex(iface.io!)}`,
    );
  if (ok('mtu') && iface.mtu! > model.maxMtu)
    add(
      'mtu',
      `expected an MTU from 68 to ${model.maxMtu} (the most a ${model.name} card takes), got ${iface.mtu}`,
    );
  for (const field of ['entries', 'fallback'] as const) {
    if (ok(field) && iface.nic !== 'perfect')
      add(field, `${field} applies only to nic: perfect, and this is a ${iface.nic}`);
  }
}, LOCAL);

export type InterfaceSpec = z.output<typeof interfaceSchema>;

export const joinSchema = strictMap(
  {
    group: multicastGroup,
    port,
    dev: ifName.optional(),
    readRate: readRate.optional(),
  },
  'a group to join such as { group: 239.1.1.1, port: 5000 }',
);

export type JoinSpec = z.output<typeof joinSchema>;

export const MAX_INTERFACES = 16;
export const MAX_JOINS = 256;

export const hostSchema = strictMap(
  {
    name: hostName,
    cpu: strictMap(
      { perFrame: duration(0, 1e9, 'a CPU cost per frame') },
      'a map such as { perFrame: 2us }',
    ).optional(),
    sysctl: sysctlMap.optional(),
    interfaces: list(interfaceSchema, 'interfaces', MAX_INTERFACES).optional(),
    join: list(joinSchema, 'groups to join', MAX_JOINS).optional(),
  },
  'a host such as { name: h1, interfaces: [...] }',
).superRefine((host, ctx) => {
  const ifaces = host.interfaces ?? [];
  const seen = new Map<string, number>();
  ifaces.forEach((iface, i) => {
    const first = seen.get(iface.name);
    if (first !== undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['interfaces', i, 'name'],
        message: `duplicate interface name "${iface.name}" (also interfaces[${first}])`,
      });
    else seen.set(iface.name, i);
  });
  // ISA lines are not shared: two cards that are up on one line make the second open fail.
  const irqs = effectiveIrqs(ifaces);
  const holder = new Map<number, number>();
  ifaces.forEach((iface, i) => {
    if (iface.up === false) return;
    const first = holder.get(irqs[i]);
    if (first === undefined) {
      holder.set(irqs[i], i);
      return;
    }
    const model = cardResources(iface.nic);
    const others = model.irqs.filter((q) => ![...holder.keys()].includes(q));
    ctx.addIssue({
      code: 'custom',
      path: iface.irq !== undefined ? ['interfaces', i, 'irq'] : ['interfaces', i],
      message:
        `irq ${irqs[i]}${iface.irq === undefined ? ' (its default)' : ''} is taken by ${ifaces[first].name}, and ISA lines are not shared, so opening ${iface.name} would fail: ` +
        (others.length > 0
          ? `give it another irq (${others.join(', ')}) or up: false`
          : 'set up: false'),
    });
  });
  (host.join ?? []).forEach((j, i) => {
    if (ifaces.length === 0)
      ctx.addIssue({
        code: 'custom',
        path: ['join', i],
        message: `${host.name} has no interface to join ${j.group} on`,
      });
    else if (j.dev !== undefined && !seen.has(j.dev))
      ctx.addIssue({
        code: 'custom',
        path: ['join', i, 'dev'],
        message: noSuchDev(host.name, j.dev, ifaces),
      });
  });
}, CLEAN);

export type HostSpec = z.output<typeof hostSchema>;
