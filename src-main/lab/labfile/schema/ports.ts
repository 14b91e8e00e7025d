import { z } from 'zod';
import { NAME, nameOf, udpAddress } from './addresses';
import { strictMap } from './fields';
import { segmentName } from './segment';

// The `ports:` section: real UDP sockets joined to the lab.

/**
 * An external port: the segment's frames as UDP datagrams (one frame each),
 * listening on `listen` and sending to `remote`. The CLI and the app's engine
 * open them (src-main/net); the lab itself knows nothing of sockets.
 */
export const portSchema = strictMap(
  {
    name: nameOf('a port name', NAME, 'qemu'),
    listen: udpAddress,
    remote: udpAddress,
    /** The segment it joins (the lab's first unless given). */
    segment: segmentName.optional(),
  },
  'a port such as { name: qemu, listen: 127.0.0.1:7000, remote: 127.0.0.1:7001 }',
);

export type PortSpec = z.output<typeof portSchema>;
