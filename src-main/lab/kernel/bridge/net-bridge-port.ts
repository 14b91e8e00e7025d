import type { NetDevice } from '../../netdev/net-device';
import type { NetBridge } from './net-bridge';

/** `BR_STATE_*`: without STP a port is forwarding while it and the bridge are up, else disabled. */
export type BrPortState = 'disabled' | 'forwarding';

/**
 * `multicast_router` of a port (`MDB_RTR_TYPE_*`): 0 never a router port, 1 (the default) one
 * while queries are heard on it, 2 always one.
 */
export type BrMulticastRouter = 0 | 1 | 2;

/**
 * `struct net_bridge_port`: a device enslaved to a bridge. Its frames no longer go up its own
 * stack: the bridge's rx handler takes them (`br_handle_frame`).
 */
export class NetBridgePort {
  /** `multicast_router`: learned from a query heard on it, until this time (ns); 0 if never. */
  routerUntil = 0;
  /** `multicast_router` as set (`ip link set DEV type bridge_slave mcast_router N`). */
  multicastRouter: BrMulticastRouter = 1;
  /** `BR_MULTICAST_FAST_LEAVE`: a leave heard on it ends the membership at once. */
  fastLeave = false;
  /** `ip4_own_query`: this port's own querier timer (br-multicast.ts), and its startup count. */
  queryTimer = -1;
  startupSent = 0;

  constructor(
    readonly br: NetBridge,
    readonly dev: NetDevice,
    /** `port_no`, from 1. */
    readonly portNo: number,
  ) {}

  get name(): string {
    return this.dev.name;
  }
}
