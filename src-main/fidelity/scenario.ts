/**
 * A fidelity scenario: the same steps run on two hosts joined by one link, in
 * the lab and on the real kernel (two network namespaces and a veth pair, by
 * real-agent.py). Each step's output lines and exit status are compared after
 * `normalize` (normalize.ts) takes out what differs on purpose.
 */

import type { NicModelName } from '../lab/drivers/nic-model';

export type Step =
  /** A shell command line (`ifconfig eth0; ip -s link`), as root. */
  | { host: HostName; op: 'sh'; cmd: string }
  /** `socket(AF_INET, SOCK_DGRAM, 0)`, known afterwards as `name`. */
  | { host: HostName; op: 'udp'; name: string }
  | { host: HostName; op: 'bind'; name: string; port: number }
  /** setsockopt(SO_RCVBUF), then prints what getsockopt reports. */
  | { host: HostName; op: 'rcvbuf'; name: string; value: number }
  | { host: HostName; op: 'getrcvbuf'; name: string }
  /** IP_ADD_MEMBERSHIP, on `dev` or (without) wherever the kernel finds. */
  | { host: HostName; op: 'join'; name: string; group: string; dev?: string }
  /** IP_MULTICAST_IF */
  | { host: HostName; op: 'mcif'; name: string; dev: string }
  | { host: HostName; op: 'getloop'; name: string }
  /** IP_MTU_DISCOVER: whether DF is set and a datagram over the path MTU fragmented or refused. */
  | { host: HostName; op: 'pmtudisc'; name: string; value: 'dont' | 'want' | 'do' }
  /** `count` datagrams of `size` zero bytes (1 by default), then time for them to arrive. */
  | {
      host: HostName;
      op: 'send';
      name: string;
      to: string;
      port: number;
      size: number;
      count?: number;
    }
  /** Reads up to `count` waiting datagrams (all without), printing how many. */
  | { host: HostName; op: 'read'; name: string; count?: number }
  | { host: HostName; op: 'close'; name: string }
  /**
   * Starts noting the ARP and IGMP frames `dev` sends (or, with `dir: 'in'`, receives: a
   * device going down loses its packet sockets' hooks until after NETDEV_UP's own frames).
   */
  | { host: HostName; op: 'capture'; dev: string; dir?: 'in' | 'out' }
  /** Prints the ARP and IGMP frames sent since `capture`, one line each. */
  | { host: HostName; op: 'captured' }
  | { host: HostName; op: 'wait'; ms: number };

/** `r` exists only in the router topology. */
export type HostName = 'h0' | 'h1' | 'r';

/**
 * Who is cabled to whom. `pair` (the default): h0's eth0 to h1's eth0.
 * `router`: h0's eth0 to r's eth0 (10.0.1.0/24 by the steps' addresses), r's
 * eth1 to h1's eth0 (10.0.2.0/24): two links, each a veth pair on Linux and
 * a segment of its own in the lab.
 */
export type Topology = 'pair' | 'router';

export interface Scenario {
  /** File name of its fixture: `fixtures/ID.json`. */
  id: string;
  /** The issue-19 item it proves (1–12), 0 for the drop-reason table, 22 for issue 22's router. */
  item: number;
  title: string;
  /** The lab's card (the real side is always a veth pair); `perfect` unless said. */
  model?: NicModelName;
  topology?: Topology;
  steps: Step[];
}

/** What one side made of one step. */
export interface StepResult {
  out: string[];
  rc: number;
}

/** A recorded (or live) real-kernel run: the fixture's content. */
export interface RealRun {
  kernel: string;
  /** This machine's net.core.rmem_max (a global tunable the lab copies; see README). */
  rmemMax: number;
  steps: StepResult[];
}
