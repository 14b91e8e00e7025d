import { z } from 'zod';
import { ifAddress, ifName } from './addresses';
import { bool, list, strictMap } from './fields';

// A host's `bridges:`: Linux bridges over its cards (kernel/bridge/).

export const MAX_BRIDGE_PORTS = 16;

export const bridgeSchema = strictMap(
  {
    name: ifName,
    ports: list(ifName, 'ports', MAX_BRIDGE_PORTS),
    ip: ifAddress.optional(),
    mcastSnooping: bool.optional(),
    querier: bool.optional(),
    up: bool.optional(),
  },
  'a bridge such as { name: br0, ports: [eth0, eth1], mcastSnooping: true }',
);

export type BridgeSpec = z.output<typeof bridgeSchema>;

export const MAX_BRIDGES = 8;
export const bridgeList = list(bridgeSchema, 'bridges', MAX_BRIDGES);
