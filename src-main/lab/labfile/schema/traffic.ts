import { z } from 'zod';
import { formatDuration, RATE_EXAMPLES } from '../units';
import {
  NAME,
  destination,
  endpoint,
  hostName,
  ifName,
  multicastGroup,
  nameOf,
  port,
} from './addresses';
import { rate, readRate, sizes } from './amounts';
import { LOCAL, duration, failedFields, int, oneOf, strictMap } from './fields';

// The `generators:` and `sinks:` sections: the lab's traffic.

export const PATTERNS = ['cbr', 'poisson', 'onoff'] as const;
export type Pattern = (typeof PATTERNS)[number];

/** A million seconds (11.6 days) of simulated time. */
export const MAX_TIME = 1e15;

export const generatorSchema = strictMap(
  {
    name: nameOf('a generator name', NAME, 'flood'),
    from: endpoint,
    to: destination,
    pattern: oneOf(PATTERNS).optional(),
    rate: rate.optional(),
    count: int(1, 1e12, 'a count from 1 to 1000000000000').optional(),
    size: sizes.optional(),
    start: duration(0, MAX_TIME, 'a start time').optional(),
    stop: duration(0, MAX_TIME, 'a stop time').optional(),
    on: duration(1, MAX_TIME, 'an on time').optional(),
    off: duration(1, MAX_TIME, 'an off time').optional(),
  },
  'a generator such as { name: flood, from: h0, to: "239.1.1.1:5000", rate: 1000pps }',
).superRefine((g, ctx) => {
  const failed = failedFields(ctx);
  if (g.rate === undefined && g.count === undefined && !failed.has('rate') && !failed.has('count'))
    ctx.addIssue({
      code: 'custom',
      message: `missing; expected rate (${RATE_EXAMPLES}) or count`,
    });
  if (!failed.has('pattern')) {
    const pattern = g.pattern ?? 'cbr';
    if (pattern === 'onoff') {
      const missing = (['on', 'off'] as const).filter((f) => g[f] === undefined && !failed.has(f));
      if (missing.length > 0)
        ctx.addIssue({
          code: 'custom',
          message: `missing ${missing.join(' and ')}; pattern onoff needs on and off durations such as on: 10ms, off: 90ms`,
        });
    } else {
      for (const field of ['on', 'off'] as const) {
        if (g[field] !== undefined)
          ctx.addIssue({
            code: 'custom',
            path: [field],
            message: `${field} applies only to pattern: onoff, and this is ${pattern}`,
          });
      }
    }
  }
  if (
    g.stop !== undefined &&
    !failed.has('stop') &&
    !failed.has('start') &&
    g.stop <= (g.start ?? 0)
  )
    ctx.addIssue({
      code: 'custom',
      path: ['stop'],
      message: `expected a stop time after the start (${formatDuration(g.start ?? 0)}), got ${formatDuration(g.stop)}`,
    });
}, LOCAL);

export type GeneratorSpec = z.output<typeof generatorSchema>;

export const sinkSchema = strictMap(
  {
    name: nameOf('a sink name', NAME, 'rx1').optional(),
    host: hostName,
    dev: ifName.optional(),
    port,
    group: multicastGroup.optional(),
    readRate: readRate.optional(),
  },
  'a sink such as { host: h1, port: 5000 }',
);

export type SinkSpec = z.output<typeof sinkSchema>;
