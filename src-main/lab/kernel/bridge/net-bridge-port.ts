import type { NetDevice } from '../../netdev/net-device';
import type { NetBridge } from './net-bridge';

/** `BR_STATE_*`: without STP a port is forwarding while it and the bridge are up, else disabled. */
export type BrPortState = 'disabled' | 'forwarding';

/**
 * `struct net_bridge_port`: a device enslaved to a bridge. Its frames no longer go up its own
 * stack: the bridge's rx handler takes them (`br_handle_frame`).
 */
export class NetBridgePort {
  /** `multicast_router`: learned from a query heard on it, until this time (ns); 0 if never. */
  routerUntil = 0;

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
