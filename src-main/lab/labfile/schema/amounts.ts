import { z } from 'zod';
import { captureLimitError } from '../../capture/capture-limit';
import {
  BIT_RATE_EXAMPLES,
  describeValue,
  formatBitRate,
  parseBitRate,
  parsePacketRate,
  parseRate,
  parseSize,
  PPS_EXAMPLES,
  RATE_EXAMPLES,
  SIZE_EXAMPLES,
  type Parsed,
  type Rate,
} from '../units';
import { parsed } from './fields';

// Rates, sizes and durations as a lab file writes them (`100Mbps`, `64MiB`, `2us`).

export const MAX_PPS = 1e8;
export const MAX_BPS = 1e11;

export const rate = parsed(`a rate ${RATE_EXAMPLES}`, (input): Parsed<Rate> => {
  const r = parseRate(input);
  if ('error' in r) return r;
  const v = r.value;
  if ('pps' in v ? v.pps > MAX_PPS : v.bitsPerSecond > MAX_BPS)
    return { error: `expected a rate up to 100Mpps or 100Gbps, got ${describeValue(input)}` };
  return r;
});

export const readRate = parsed<number>(`a packet rate ${PPS_EXAMPLES}`, (input) => {
  const r = parsePacketRate(input);
  if ('error' in r) return r;
  if (r.value > MAX_PPS)
    return { error: `expected a packet rate up to 100Mpps, got ${describeValue(input)}` };
  return r;
});

export const segmentRate = parsed<number>(`a bit rate ${BIT_RATE_EXAMPLES}`, (input) => {
  const r = parseBitRate(input);
  if ('error' in r) return r;
  if (r.value > MAX_BPS)
    return {
      error: `expected a bit rate up to ${formatBitRate(MAX_BPS)}, got ${describeValue(input)}`,
    };
  return r;
});

/** A capture's memory budget (`captureLimit: 64MiB`): see capture/capture-limit.ts. */
export const captureLimit = parsed<number>(`a size ${SIZE_EXAMPLES}`, (input) => {
  const r = parseSize(input);
  if ('error' in r) return r;
  if (captureLimitError(r.value) !== null)
    return {
      error: `expected a capture limit from 1MiB to 4GiB, got ${describeValue(input)}`,
    };
  return r;
});

/** The largest UDP payload IPv4 allows. */
export const MAX_UDP_PAYLOAD = 65507;
export const MAX_SIZES = 1024;

/** A UDP payload size in bytes, or a list of them (used in turn). */
export const sizes = z.unknown().transform((input, ctx): number | number[] => {
  const what = `a payload size in bytes from 0 to ${MAX_UDP_PAYLOAD}, or a list of them`;
  const ok = (v: unknown) =>
    Number.isInteger(v) && (v as number) >= 0 && (v as number) <= MAX_UDP_PAYLOAD;
  if (Array.isArray(input)) {
    if (input.length === 0 || input.length > MAX_SIZES) {
      ctx.addIssue({
        code: 'custom',
        message: `expected a list of 1 to ${MAX_SIZES} sizes, got ${input.length}`,
      });
      return z.NEVER;
    }
    let bad = false;
    input.forEach((v, i) => {
      if (!ok(v)) {
        bad = true;
        ctx.addIssue({
          code: 'custom',
          path: [i],
          message: `expected a size in bytes from 0 to ${MAX_UDP_PAYLOAD}, got ${describeValue(v)}`,
        });
      }
    });
    return bad ? z.NEVER : (input as number[]);
  }
  if (!ok(input)) {
    ctx.addIssue({
      code: 'custom',
      message:
        input === undefined
          ? `missing; expected ${what}`
          : `expected ${what}, got ${describeValue(input)}`,
    });
    return z.NEVER;
  }
  return input as number;
});
