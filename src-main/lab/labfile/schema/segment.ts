import { z } from 'zod';
import { segmentRate } from './amounts';
import { duration, oneOf, probability, strictMap } from './fields';

// The `segment:` section: the shared medium.

export const segmentSchema = strictMap(
  {
    rate: segmentRate.optional(),
    delay: duration(0, 1e6, 'a propagation delay').optional(),
    duplex: oneOf(['half', 'full']).optional(),
    faults: strictMap(
      { bitErrorRate: probability().optional(), lossRate: probability().optional() },
      'a map such as { bitErrorRate: 1e-6, lossRate: 0.01 }',
    ).optional(),
  },
  'a map such as { rate: 100Mbps, delay: 500ns, duplex: half }',
);

export type SegmentSpec = z.output<typeof segmentSchema>;
