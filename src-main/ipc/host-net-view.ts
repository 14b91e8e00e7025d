// What a host does with frames beyond its own: the Linux bridges its kernel runs over its cards
// and whether it routes (ip_forward) and where (its main table). Read-only; the window draws a
// switch and a router from it. Built in engine/host-net.ts from the live kernel, so what the
// shell changed (`ip link set eth1 master br0`, `sysctl -w net.ipv4.ip_forward=1`) shows.
import { z } from 'zod';

export const bridgePortViewSchema = z.object({
  /** The enslaved card, `eth1`. */
  dev: z.string(),
  /** `bridge link`'s state: forwarding while the bridge, the card and its carrier are up. */
  state: z.enum(['forwarding', 'disabled']),
});

export const bridgeViewSchema = z.object({
  /** `br0` */
  name: z.string(),
  up: z.boolean(),
  ports: z.array(bridgePortViewSchema),
  /** `mcast_snooping`, `mcast_querier`, and whether a querier exists (own or heard, trusted). */
  snooping: z.boolean(),
  querier: z.boolean(),
  querierExists: z.boolean(),
  /** Entries in `bridge fdb` (learned and local) and groups in `bridge mdb`. */
  fdbEntries: z.number(),
  mdbGroups: z.number(),
});
export type BridgeView = z.infer<typeof bridgeViewSchema>;

export const hostNetViewSchema = z.object({
  /** `net.ipv4.ip_forward`: the host routes datagrams for others. */
  ipForward: z.boolean(),
  /** `ip route`'s lines (the main table), without their trailing space. */
  routes: z.array(z.string()),
  bridges: z.array(bridgeViewSchema),
});
export type HostNetView = z.infer<typeof hostNetViewSchema>;
