import { z } from 'zod';
import { segmentRate } from './amounts';
import { NAME, nameOf } from './addresses';
import { duration, oneOf, probability, strictMap } from './fields';

// The `segment:` section (the lab's only medium) and `segments:` (several, each named).

const segmentFields = {
  rate: segmentRate.optional(),
  delay: duration(0, 1e6, 'a propagation delay').optional(),
  duplex: oneOf(['half', 'full']).optional(),
  faults: strictMap(
    { bitErrorRate: probability().optional(), lossRate: probability().optional() },
    'a map such as { bitErrorRate: 1e-6, lossRate: 0.01 }',
  ).optional(),
};

export const segmentSchema = strictMap(
  segmentFields,
  'a map such as { rate: 100Mbps, delay: 500ns, duplex: half }',
);

export type SegmentSpec = z.output<typeof segmentSchema>;

/** The name a lab of one segment gives it (captures: [segment]). */
export const DEFAULT_SEGMENT_NAME = 'segment';

export const segmentName = nameOf('a segment name', NAME, 'lan1');

export const namedSegmentSchema = strictMap(
  { name: segmentName, ...segmentFields },
  'a segment such as { name: lan1, rate: 100Mbps, duplex: half }',
);

export type NamedSegmentSpec = z.output<typeof namedSegmentSchema>;
