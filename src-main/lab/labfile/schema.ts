import { z } from 'zod';
import { type PathSegment } from './errors';
import { didYouMean } from './suggest';
import { capture } from './schema/addresses';
import { captureLimit } from './schema/amounts';
import { crossCheck } from './schema/cross-check';
import { exerciseSchema } from './schema/exercise';
import { CLEAN, UNKNOWN_KEYS_TAG, int, list, strictMap, text } from './schema/fields';
import { hostSchema } from './schema/hosts';
import { portSchema } from './schema/ports';
import { namedSegmentSchema, segmentSchema } from './schema/segment';
import { generatorSchema, sinkSchema } from './schema/traffic';

export { type CaptureSpec, hex } from './schema/addresses';
export { MAX_UDP_PAYLOAD } from './schema/amounts';
export { defaultMac, effectiveIrqs, DEFAULT_PAYLOAD_SIZE } from './schema/defaults';
export { type QuestionSpec, type CheckSpec, type ExerciseSpec } from './schema/exercise';
export {
  NIC_NAMES,
  type InterfaceSpec,
  type JoinSpec,
  type HostSpec,
  type RouteSpec,
} from './schema/hosts';
export { type PortSpec } from './schema/ports';
export { type SegmentSpec, type NamedSegmentSpec, DEFAULT_SEGMENT_NAME } from './schema/segment';
export { type Pattern, type GeneratorSpec, type SinkSpec } from './schema/traffic';

/**
 * The schema of a lab file. The file is the input (units as text: `2us`,
 * `100Mbps`; addresses as text); the parsed `LabSpec` is the output, with
 * every quantity as a number in the lab's units (ns, bit/s, packets/s) and
 * absent fields left absent, so that saving writes back only what the file
 * said. Defaults are applied when the lab is built (build.ts).
 *
 * Checks come in layers. Each field's own check runs first. Checks within one
 * object (a NIC model and its IRQ lines, a generator's rate or count) then run
 * on the fields that passed. Checks across objects (duplicate names and
 * addresses, IRQ clashes, the host a generator names) run only on an object
 * whose parts are all well formed, so that one typo is reported once and not
 * again as everything it hid ("no interface eth0" after `intrefaces:`).
 */

export const MAX_HOSTS = 256;
const MAX_GENERATORS = 1024;
const MAX_SINKS = 1024;
const MAX_CAPTURES = 1024;
const MAX_PORTS = 16;
export const MAX_SEGMENTS = 256;

export const LAB_KEYS = [
  'name',
  'description',
  'seed',
  'segment',
  'segments',
  'hosts',
  'generators',
  'sinks',
  'captures',
  'captureLimit',
  'ports',
  'exercise',
] as const;

export const labSpecSchema = strictMap(
  {
    name: text('a lab name', 200).optional(),
    description: text('a description').optional(),
    seed: int(0, 0xffffffff, 'a seed from 0 to 4294967295').optional(),
    segment: segmentSchema.optional(),
    segments: list(namedSegmentSchema, 'segments', MAX_SEGMENTS).optional(),
    hosts: list(hostSchema, 'hosts', MAX_HOSTS).superRefine((hosts, ctx) => {
      if (hosts.length === 0)
        ctx.addIssue({ code: 'custom', message: 'expected at least one host' });
    }),
    generators: list(generatorSchema, 'generators', MAX_GENERATORS).optional(),
    sinks: list(sinkSchema, 'sinks', MAX_SINKS).optional(),
    captures: list(capture, 'captures', MAX_CAPTURES).optional(),
    captureLimit: captureLimit.optional(),
    ports: list(portSchema, 'ports', MAX_PORTS).optional(),
    exercise: exerciseSchema.optional(),
  } satisfies Record<(typeof LAB_KEYS)[number], z.ZodType>,
  'a map of lab settings (name, seed, segment, hosts, generators, sinks, captures)',
).superRefine(crossCheck, CLEAN);

/** A lab file, parsed: see the module comment for its conventions. */
export type LabSpec = z.output<typeof labSpecSchema>;

// ---- running the schema ---------------------------------------------------------

/** One problem, before it is placed in a file. */
export interface SpecIssue {
  segments: PathSegment[];
  message: string;
  /** Point at the key rather than its value (an unknown key or sysctl name). */
  at: 'key' | 'value';
}

/** Validates parsed data (from YAML, JSON or a program) against the schema. */
export function validateSpecData(data: unknown): { spec: LabSpec } | { issues: SpecIssue[] } {
  const r = labSpecSchema.safeParse(data);
  if (r.success) return { spec: r.data };
  const issues: SpecIssue[] = [];
  for (const iss of r.error.issues) {
    const segments = iss.path.filter((s): s is PathSegment => typeof s !== 'symbol');
    if (iss.code === 'unrecognized_keys' && iss.message.startsWith(UNKNOWN_KEYS_TAG)) {
      const known = JSON.parse(iss.message.slice(UNKNOWN_KEYS_TAG.length)) as string[];
      for (const key of iss.keys) {
        const hint = didYouMean(key, known) || `; expected one of ${known.join(', ')}`;
        issues.push({
          segments: [...segments, key],
          message: `unknown key "${key}"${hint}`,
          at: 'key',
        });
      }
      continue;
    }
    const at = iss.code === 'custom' && iss.params?.at === 'key' ? 'key' : 'value';
    issues.push({ segments, message: iss.message, at });
  }
  return { issues };
}
